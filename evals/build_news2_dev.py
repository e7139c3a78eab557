"""Source of evals/news2_dev.jsonl: edit the table here, then run
`python evals/build_news2_dev.py` to rewrite the file (`assistant eval check
evals/news2_dev.jsonl --corpus evals/corpora/news2` validates it).

Each row: kind, question, facts ('|' = alternatives), sources, answer (reference).
The articles are described in evals/NEWS2.md. Unanswerable rows have no facts and no sources.
"""

from __future__ import annotations

from build_multidomain_dev import Item, write_dataset  # evals/ is this script's folder

CORPUS = "corpora/news2"  # relative to this file's folder

CE6, EURO_ZH, MPOX, HOUSING, HSR = ("n2_01_change6_sample_return", "n2_02_euro2024_final", "n2_03_mpox_emergency",
                                    "n2_04_mortgage_policy", "n2_05_jakarta_bandung_hsr")
TW_DEATH, TW_VISITORS, TW_RICE = ("n2_06_tw_death_penalty_ruling", "n2_07_tw_japan_visitors_2024",
                                  "n2_08_tw_japan_rice_prices")
HK_RAIN, EURO_EN, UK_VOTE, RICE_EN = ("n2_09_hk_black_rainstorm", "n2_10_euro2024_final_en", "n2_11_uk_election_2024",
                                      "n2_12_japan_rice_stockpile")

NO_ZH = "文章中没有这方面的信息。"
NO_HANT = "文章中沒有這方面的資訊。"
NO_EN = "The articles do not say."

ITEMS: list[Item] = [
    # --- lookup: a plain fact, question in the article's own script/language
    ("lookup", "嫦娥六号一共采集了多少克月球样品？", ["1935.3克"], [CE6], "1935.3克。"),
    ("lookup", "嫦娥六号是由哪枚运载火箭发射的？", ["长征五号遥八"], [CE6], "长征五号遥八运载火箭，在文昌航天发射场发射。"),
    ("lookup", "2024年欧洲杯决赛西班牙的制胜球是谁打进的？", ["奥亚萨瓦尔|Oyarzabal"], [EURO_ZH, EURO_EN],
     "替补出场的奥亚萨瓦尔，第86分钟。"),
    ("lookup", "谁当选了2024年欧洲杯的赛事最佳球员？", ["罗德里|Rodri"], [EURO_ZH, EURO_EN], "西班牙中场罗德里。"),
    ("lookup", "今年以来刚果（金）有多少人死于猴痘？", ["537"], [MPOX], "537人。"),
    ("lookup", "首套住房商业性个人住房贷款的最低首付款比例调整为多少？", ["15%"], [HOUSING], "不低于15%。"),
    ("lookup", "人民银行设立的保障性住房再贷款规模是多少？", ["3000亿元"], [HOUSING], "3000亿元。"),
    ("lookup", "雅万高铁全长多少公里？", ["142.3公里"], [HSR], "142.3公里。"),
    ("lookup", "這次死刑釋憲案是由多少名死刑定讞者聲請的？", ["37名"], [TW_DEATH], "37名。"),
    ("lookup", "2024年台灣旅客赴日有多少人次？", ["604萬4400人次"], [TW_VISITORS], "604萬4400人次，排名第三。"),
    ("lookup", "江藤拓辭職後，由誰接任農林水產大臣？", ["小泉進次郎|Shinjiro Koizumi|Koizumi"], [TW_RICE, RICE_EN],
     "前環境大臣小泉進次郎。"),
    ("lookup", "黑雨當晚天文台總部一小時錄得多少毫米雨量？", ["158.1毫米"], [HK_RAIN],
     "158.1毫米，1884年有紀錄以來最高。"),
    ("lookup", "How many seats did Labour win in the 2024 UK general election?", ["411"], [UK_VOTE],
     "411 of the 650 seats."),
    ("lookup", "Who scored England's goal in the Euro 2024 final?", ["Cole Palmer|Palmer|帕尔默"], [EURO_EN, EURO_ZH],
     "Cole Palmer, in the 73rd minute."),
    # --- paraphrase: little word overlap with the passage
    ("paraphrase", "嫦娥六号落在月亮背面以后，在上面干了多长时间的活？", ["48小时"], [CE6], "约48小时。"),
    ("paraphrase", "上一次中国从月亮朝着我们的那一面取回来的土石有多重？", ["1731克"], [CE6], "嫦娥五号带回1731克。"),
    ("paraphrase", "西班牙这届欧洲杯一场球都没输吗？", ["7战全胜|all seven"], [EURO_ZH, EURO_EN], "是的，7战全胜。"),
    ("paraphrase", "现在买第二套房，最少得先自己掏出房价的几成？", ["25%"], [HOUSING], "首付不低于25%。"),
    ("paraphrase", "央行拿出来帮地方国企收购卖不掉的房子的那笔钱，能撬动银行放多少贷款？", ["5000亿元"], [HOUSING],
     "预计带动银行贷款5000亿元。"),
    ("paraphrase", "现在从印尼首都去万隆，最快多久能到？", ["46分钟"], [HSR], "最快46分钟，原来要3个多小时。"),
    ("paraphrase", "法院要判一個人死刑，合議庭裡要多少法官點頭才行？", ["一致決"], [TW_DEATH], "全體法官一致決。"),
    ("paraphrase", "日本希望哪一年能迎來六千萬名外國遊客？", ["2030年"], [TW_VISITORS], "2030年。"),
    ("paraphrase", "Which upstart party got the third-biggest slice of the votes when Britain went to the polls in 2024?",
     ["Reform UK"], [UK_VOTE], "Reform UK, on 14.3%."),
    ("paraphrase", "How much reserve rice is Tokyo releasing straight to supermarkets?", ["300,000 tonnes"], [RICE_EN],
     "300,000 tonnes, through no-bid contracts."),
    # --- cross_script: Simplified question on a Traditional article, or the reverse
    ("cross_script", "宪法法庭这次死刑判决的字号是什么？", ["113年憲判字第8號"], [TW_DEATH], "113年宪判字第8号。"),
    ("cross_script", "台湾最近一次执行死刑是在什么时候？", ["2020年4月"], [TW_DEATH], "2020年4月。"),
    ("cross_script", "2024年访日外国旅客总数是多少？", ["3686萬9900人次"], [TW_VISITORS], "3686万9900人次，创历史新高。"),
    ("cross_script", "2024年哪个国家或地区去日本的旅客最多？", ["南韓"], [TW_VISITORS], "韩国，881万7800人次。"),
    ("cross_script", "江藤拓是因为说了什么话而辞职的？", ["從來沒買過米|never had to buy rice"], [TW_RICE, RICE_EN],
     "他说自己从来没买过米，因为支持者送的米多到可以拿去卖。"),
    ("cross_script", "黑色暴雨警告信号是几点取消的？", ["下午3時"], [HK_RAIN], "9月8日下午3时，生效接近16小时。"),
    ("cross_script", "暴雨期间港铁哪个车站水浸？", ["黃大仙站"], [HK_RAIN], "黄大仙站，大堂及月台一度水浸。"),
    ("cross_script", "嫦娥六號返回器在哪裡著陸？", ["四子王旗"], [CE6], "內蒙古四子王旗預定區域。"),
    ("cross_script", "雅萬高鐵由哪家公司負責營運？", ["印尼中国高速铁路有限公司|KCIC"], [HSR], "印尼中國高速鐵路有限公司（KCIC）。"),
    ("cross_script", "2024年歐洲盃最佳年輕球員是誰？", ["亚马尔|Yamal"], [EURO_ZH, EURO_EN], "亞馬爾，決賽前一天剛滿17歲。"),
    # --- regional: mainland-usage Simplified question on a Taiwan / Hong Kong usage article
    ("regional", "宪法法庭宣判死刑案时，能在哪个网站看网络直播？", ["司法院網站"], [TW_DEATH],
     "司法院网站，网上同步直播。"),
    ("regional", "去司法院声援的民众是坐地铁到哪一站下车的？", ["台大醫院站"], [TW_DEATH], "捷运（地铁）台大医院站。"),
    ("regional", "台湾游客在日本打出租车一般怎么叫车？", ["手機叫車App"], [TW_VISITORS], "多改用手机叫车App。"),
    ("regional", "台湾游客去日本旅行时常用什么软件？", ["翻譯軟體"], [TW_VISITORS], "翻译软件（軟體）与地图App。"),
    ("regional", "什么样的视频让九州、四国成了热门旅游地？", ["美食影片"], [TW_VISITORS], "旅游达人分享的美食视频（影片）。"),
    ("regional", "日本米荒时，台湾大米在日本的网店有卖吗？", ["網路商店"], [TW_RICE], "有，部分日本超市与网店（網路商店）开始卖台湾米。"),
    ("regional", "暴雨那天，地铁观塘线哪两站之间停运了？", ["彩虹站"], [HK_RAIN], "黄大仙站至彩虹站。"),
    ("regional", "暴雨中被困在水里的出租车司机是怎么等救援的？", ["爬上車頂"], [HK_RAIN], "爬上车顶等待救援。"),
    # --- english_to_zh: English question, answer in a Chinese article (facts are the Chinese strings)
    ("english_to_zh", "When did Chang'e-6 launch?", ["5月3日"], [CE6], "3 May 2024, at 17:27, from Wenchang."),
    ("english_to_zh", "Where on the Moon did Chang'e-6 land?", ["艾特肯盆地"], [CE6],
     "In the South Pole–Aitken basin on the far side."),
    ("english_to_zh", "Where will Euro 2028 be held?", ["英国和爱尔兰"], [EURO_ZH], "In the UK and Ireland."),
    ("english_to_zh", "How many mpox cases has the DR Congo reported this year?", ["1.56万例"], [MPOX],
     "More than 15,600, with 537 deaths."),
    ("english_to_zh", "Which country reported the first clade Ib mpox case outside Africa?", ["瑞典"], [MPOX],
     "Sweden, on 15 August."),
    ("english_to_zh", "What is the new rate on five-year-plus first-home housing provident fund loans in China?",
     ["2.85%"], [HOUSING], "2.85%, down from 3.1%."),
    ("english_to_zh", "What is the top design speed of the Jakarta–Bandung high-speed railway?", ["350公里"], [HSR],
     "350 km/h."),
    ("english_to_zh", "How many foreign visitors did Japan receive in 2024?", ["3686萬9900人次"], [TW_VISITORS],
     "36,869,900, a record."),
    ("english_to_zh", "When did the Hong Kong Observatory issue the black rainstorm signal in September 2023?",
     ["11時05分"], [HK_RAIN], "At 11:05 pm on 7 September."),
    ("english_to_zh", "After Taiwan's 2024 Constitutional Court ruling, what kind of crime can still carry the death "
     "penalty?", ["故意殺人"], [TW_DEATH], "Only intentional killing, in the most serious circumstances."),
    # --- zh_to_english: Chinese question, answer in an English article (facts are the English strings)
    ("zh_to_english", "西班牙队在2024年欧洲杯上一共打进了多少球？", ["15 goals"], [EURO_EN], "15球，单届纪录。"),
    ("zh_to_english", "帕尔默是替换哪名球员登场的？", ["Kobbie Mainoo|Mainoo"], [EURO_EN], "第70分钟替换梅努（Kobbie Mainoo）。"),
    ("zh_to_english", "索斯盖特从哪一年开始执教英格兰队？", ["2016"], [EURO_EN], "2016年。"),
    ("zh_to_english", "工党在2024年英国大选中赢得了多少席的多数优势？", ["174"], [UK_VOTE], "174席。"),
    ("zh_to_english", "2024年英国大选的投票率是多少？", ["59.7%"], [UK_VOTE], "59.7%，2001年以来最低。"),
    ("zh_to_english", "哪位前首相在2024年英国大选中丢掉了议席？", ["Liz Truss|Truss"], [UK_VOTE],
     "特拉斯（Liz Truss），South West Norfolk选区。"),
    ("zh_to_english", "谁成为英国第一位女财政大臣？", ["Rachel Reeves|Reeves"], [UK_VOTE], "里夫斯（Rachel Reeves）。"),
    ("zh_to_english", "保守党在2024年英国大选中只拿到多少席？", ["121"], [UK_VOTE], "121席，史上最差。"),
    ("zh_to_english", "小泉进次郎要直接出售的储备米中，2021年产的有多少？", ["100,000 tonnes"], [RICE_EN], "10万吨。"),
    ("zh_to_english", "日本按最低准入制度每年免关税进口多少大米？", ["770,000 tonnes"], [RICE_EN], "约77万吨。"),
    # --- multi_fact: two things asked of one article
    ("multi_fact", "嫦娥六号着陆器组合体是什么时候落月的？上升器又是什么时候起飞的？", ["6月2日6时23分", "6月4日7时38分"],
     [CE6], "6月2日6时23分着陆，6月4日7时38分起飞。"),
    ("multi_fact", "欧洲杯决赛西班牙的两个进球分别是谁打进的？", ["尼科·威廉斯|Nico Williams", "奥亚萨瓦尔|Oyarzabal"],
     [EURO_ZH, EURO_EN], "尼科·威廉斯和奥亚萨瓦尔。"),
    ("multi_fact", "保障性住房再贷款的利率和期限分别是多少？", ["1.75%", "1年"], [HOUSING], "利率1.75%，期限1年，可展期4次。"),
    ("multi_fact", "2024年訪日旅客消費額是多少？日本政府2030年的消費額目標又是多少？", ["8.1兆日圓", "15兆日圓"],
     [TW_VISITORS], "約8.1兆日圓；目標15兆日圓。"),
    ("multi_fact", "這場黑雨造成多少人死亡、多少人受傷？", ["兩人死亡", "140人受傷"], [HK_RAIN],
     "最少兩人死亡、逾140人受傷送院。"),
    ("multi_fact", "How many seats did the Liberal Democrats and the SNP win in 2024?", ["72 seats", "9 seats"],
     [UK_VOTE], "Liberal Democrats 72, SNP 9."),
    # --- multi_article: each fact is in a different article
    ("multi_article", "嫦娥六号是哪天发射的？雅万高铁是哪天正式启用的？", ["5月3日", "10月2日"], [CE6, HSR],
     "嫦娥六号2024年5月3日发射；雅万高铁2023年10月2日启用。"),
    ("multi_article", "2024年台湾赴日旅客有多少人次？小泉进次郎想把5公斤米价降到多少？",
     ["604萬4400人次", "2000日圓|2,000 yen"], [TW_VISITORS, TW_RICE, RICE_EN], "604万4400人次；每5公斤2000日元左右。"),
    ("multi_article", "Who became UK prime minister in July 2024, and who took over Japan's farm ministry in May 2025?",
     ["Keir Starmer|Starmer", "Shinjiro Koizumi|Koizumi|小泉進次郎"], [UK_VOTE, RICE_EN, TW_RICE],
     "Keir Starmer; Shinjiro Koizumi."),
    ("multi_article", "猴痘入境申报措施实施多长时间？首套房最低首付比例降到了多少？", ["6个月", "15%"], [MPOX, HOUSING],
     "6个月；15%。"),
    ("multi_article", "香港黑雨当晚天文台一小时雨量是多少？嫦娥六号带回了多少克月壤？", ["158.1毫米", "1935.3克"],
     [HK_RAIN, CE6], "158.1毫米；1935.3克。"),
    # --- conflict: the sources disagree, both figures are expected
    ("conflict", "2024年欧洲杯决赛现场有多少名观众？", ["7万名", "65,600"], [EURO_ZH, EURO_EN],
     "中文报道说约7万名（n2_02）；英文报道说65,600人（n2_10）。"),
    ("conflict", "On what date was the Euro 2024 final played?", ["July 14", "7月15日"], [EURO_EN, EURO_ZH],
     "Sunday 14 July in Berlin; the Chinese report gives 15 July, Beijing time."),
    ("conflict", "日本超市5公斤装大米的平均售价最高纪录是多少日元？", ["4268日圓", "4,285 yen"], [TW_RICE, RICE_EN],
     "台湾报道说4268日元（5月5日至11日当周）；英文报道说4,285日元（截至5月18日当周）。"),
    # --- unanswerable near-misses: a period, place, company or entity the articles do not cover
    ("unanswerable", "嫦娥七号计划什么时候发射？", [], [], NO_ZH),
    ("unanswerable", "随嫦娥六号发射的巴基斯坦立方星叫什么名字？", [], [], NO_ZH),
    ("unanswerable", "尼科·威廉斯今年多少岁？", [], [], NO_ZH),
    ("unanswerable", "2028年欧洲杯决赛在哪座城市举行？", [], [], NO_ZH),
    ("unanswerable", "布隆迪今年报告了多少例猴痘病例？", [], [], NO_ZH),
    ("unanswerable", "世卫组织推荐的两种猴痘疫苗分别叫什么？", [], [], NO_ZH),
    ("unanswerable", "二套住房的公积金贷款利率调整为多少？", [], [], NO_ZH),
    ("unanswerable", "上海的首套房最低首付比例是多少？", [], [], NO_ZH),
    ("unanswerable", "雅万高铁的总造价是多少？", [], [], NO_ZH),
    ("unanswerable", "雅万高铁一等座的票价是多少？", [], [], NO_ZH),
    ("unanswerable", "這次死刑判決有幾位大法官提出不同意見書？", [], [], NO_HANT),
    ("unanswerable", "2024年泰國赴日旅客有多少人次？", [], [], NO_HANT),
    ("unanswerable", "2024年台灣旅客在日本的消費額是多少？", [], [], NO_HANT),
    ("unanswerable", "台湾今年出口到日本的大米有多少吨？", [], [], NO_ZH),
    ("unanswerable", "颱風蘇拉襲港時，十號風球維持了多少小時？", [], [], NO_HANT),
    ("unanswerable", "How many seats did the DUP win in the 2024 UK general election?", [], [], NO_EN),
    ("unanswerable", "What was the turnout at the 2019 UK general election?", [], [], NO_EN),
    ("unanswerable", "How much did a 5kg bag of rice cost in Japan in May 2023?", [], [], NO_EN),
    # --- unanswerable, far off
    ("unanswerable", "如何申请美国留学签证？", [], [], NO_ZH),
    ("unanswerable", "What is a good recipe for pad thai?", [], [], NO_EN),
    ("unanswerable", "2026年冬奥会在哪里举办？", [], [], NO_ZH),
    ("unanswerable", "台北明天會下雨嗎？", [], [], NO_HANT),
]


def main() -> None:
    write_dataset(ITEMS, "n2", CORPUS, "news2_dev.jsonl")


if __name__ == "__main__":
    main()
