"""Source of evals/multidomain_dev.jsonl: edit the table here, then run
`python evals/build_multidomain_dev.py` to rewrite the file (`assistant eval check
evals/multidomain_dev.jsonl --corpus evals/corpora/multidomain` validates it).

Each row: id, kind, question, facts ('|' = alternatives), sources, answer (reference).
The articles are described in evals/MULTIDOMAIN.md. Unanswerable rows have no facts and no sources.
"""

from __future__ import annotations

import json
from pathlib import Path

CORPUS = "corpora/multidomain"  # relative to this file's folder

BYD, SU7, ASHARE, NEZHA, PARIS = ("md01_byd_2024_results", "md02_xiaomi_su7_launch", "md03_a_share_rally",
                                  "md04_ne_zha_2_box_office", "md05_paris_olympics_closing")
TW_BADMINTON, TW_ELECTION, TW_SU7, TW_NUCLEAR = ("md06_tw_paris_badminton", "md07_tw_election_2024",
                                                 "md08_tw_su7_review", "md09_tw_nuclear_free")
HK_KAITAK, FED, HIV = "md10_hk_kai_tak_sports_park", "md11_fed_rate_cut", "md12_lenacapavir_hiv"

NO_ZH = "文章中没有这方面的信息。"
NO_HANT = "文章中沒有這方面的資訊。"
NO_EN = "The articles do not say."

Item = tuple[str, str, list[str], list[str], str]  # kind, question, facts, sources, reference answer

ITEMS: list[Item] = [
    # --- lookup: a plain fact, question in the article's own script/language
    ("lookup", "比亚迪2024年的营业收入是多少？", ["7771.02亿元"], [BYD], "7771.02亿元，同比增长29.02%。"),
    ("lookup", "特斯拉2024年全年交付了多少辆汽车？", ["178.9万辆"], [BYD], "178.9万辆，较上年下降约1%。"),
    ("lookup", "小米SU7 Max版的零百加速是多少秒？", ["2.78秒"], [SU7], "2.78秒。"),
    ("lookup", "小米SU7在哪里生产？", ["北京亦庄"], [SU7], "北京亦庄的小米汽车工厂。"),
    ("lookup", "2024年9月24日宣布下调存款准备金率的央行行长是谁？", ["潘功胜"], [ASHARE], "中国人民银行行长潘功胜。"),
    ("lookup", "9月30日上证指数单日涨了多少？", ["8.06%"], [ASHARE], "8.06%，收于3336.50点。"),
    ("lookup", "《哪吒之魔童闹海》的导演是谁？", ["饺子|杨宇"], [NEZHA], "饺子（本名杨宇）。"),
    ("lookup", "《哪吒2》是什么时候上映的？", ["2025年1月29日|1月29日"], [NEZHA], "2025年1月29日（农历正月初一）。"),
    ("lookup", "巴黎奥运会闭幕式在哪里举行？", ["法兰西体育场"], [PARIS], "法兰西体育场。"),
    ("lookup", "潘展乐夺得男子100米自由泳金牌的成绩是多少？", ["46秒40"], [PARIS], "46秒40，打破世界纪录。"),
    ("lookup", "2024年台灣總統大選的投票率是多少？", ["71.86%"], [TW_ELECTION], "71.86%，低於2020年的74.9%。"),
    ("lookup", "核三廠位於哪裡？", ["屏東縣恆春鎮|恆春"], [TW_NUCLEAR], "屏東縣恆春鎮。"),
    ("lookup", "啟德體育園佔地多少公頃？", ["28公頃"], [HK_KAITAK], "約28公頃。"),
    ("lookup", "What range did the Fed lower the federal funds rate to in September 2024?", ["4.75% to 5%"], [FED],
     "A range of 4.75% to 5%."),
    ("lookup", "Under what brand name will Gilead sell lenacapavir for HIV prevention?", ["Yeztugo"], [HIV],
     "Yeztugo."),
    # --- paraphrase: little word overlap with the passage
    ("paraphrase", "比亚迪去年卖出的新能源车里，有多少是卖到国外的？", ["41.72万辆"], [BYD], "海外销量41.72万辆。"),
    ("paraphrase", "比亚迪花在技术开发上的钱有多少？", ["541.61亿元"], [BYD], "研发投入541.61亿元，超过当年净利润。"),
    ("paraphrase", "小米这款车开卖不到半小时就被预订了多少台？", ["5万台"], [SU7], "27分钟后大定突破5万台。"),
    ("paraphrase", "央行给银行松绑后，市场能多拿到多少长期资金？", ["1万亿元"], [ASHARE], "降准0.5个百分点，提供长期流动性约1万亿元。"),
    ("paraphrase", "《哪吒2》背后一共有多少家动画工作室出力？", ["138家"], [NEZHA], "138家动画公司、4000多名幕后工作者。"),
    ("paraphrase", "在巴黎奥运谢幕仪式上玩特技的是哪位演员？", ["汤姆·克鲁斯"], [PARIS], "好莱坞影星汤姆·克鲁斯。"),
    ("paraphrase", "立法院裡哪個黨的人數最多？", ["國民黨"], [TW_ELECTION], "國民黨，52席。"),
    ("paraphrase", "Who was the only vote against the Fed's September decision?", ["Michelle Bowman|Bowman"], [FED],
     "Governor Michelle Bowman, who wanted a quarter-point cut."),
    ("paraphrase", "How many of the African women who got the shot caught the virus?", ["none of the 2,134"], [HIV],
     "None of the 2,134 participants who received lenacapavir in PURPOSE 1."),
    # --- cross_script: Simplified question on a Traditional article, or the reverse
    ("cross_script", "赖清德在2024年大选中得了多少票？", ["558萬6019票"], [TW_ELECTION], "558万6019票，得票率40.05%。"),
    ("cross_script", "国民党候选人侯友宜的得票率是多少？", ["33.49%"], [TW_ELECTION], "33.49%。"),
    ("cross_script", "赖清德和萧美琴哪天宣誓就职？", ["5月20日"], [TW_ELECTION], "5月20日。"),
    ("cross_script", "林郁婷在巴黎奥运会拳击决赛中击败了哪个国家的选手？", ["波蘭"], [TW_BADMINTON],
     "波兰选手谢蕾梅塔（Julia Szeremeta），5:0。"),
    ("cross_script", "麟洋配在东京奥运会决赛中击败了哪对组合？", ["李俊慧"], [TW_BADMINTON], "中国的李俊慧、刘雨辰。"),
    ("cross_script", "核三厂2号机的运转执照在哪一天到期？", ["2025年5月17日"], [TW_NUCLEAR], "2025年5月17日。"),
    ("cross_script", "核三厂重启公投的同意票有多少？", ["434萬"], [TW_NUCLEAR], "约434万票，未达约500万票的门槛。"),
    ("cross_script", "启德体育园的主场馆可以容纳多少名观众？", ["5萬名觀眾"], [HK_KAITAK], "5万名观众。"),
    ("cross_script", "比亞迪2024年新能源汽車銷量是多少？", ["427.21萬輛"], [BYD], "427.21萬輛，同比增長41.26%。"),
    ("cross_script", "《哪吒2》的前作最終票房是多少？", ["50.35億元"], [NEZHA], "《哪吒之魔童降世》50.35億元。"),
    ("cross_script", "中國人民銀行把7天期逆回購操作利率調到多少？", ["1.5%"], [ASHARE], "由1.7%調整為1.5%。"),
    ("cross_script", "小米SU7 Pro版的續航里程是多少公里？", ["830公里"], [SU7], "830公里。"),
    # --- regional: mainland-usage Simplified question on a Taiwan / Hong Kong usage article
    ("regional", "小米SU7搭载的骁龙8295芯片采用几纳米工艺？", ["5奈米"], [TW_SU7], "5奈米（5纳米）制程。"),
    ("regional", "小米SU7的中控屏幕有多少英寸？", ["16.1吋"], [TW_SU7], "16.1吋（英寸）3K螢幕。"),
    ("regional", "小米SU7哪些版本配备了激光雷达？", ["Pro與Max"], [TW_SU7], "Pro与Max版本配备雷射雷达。"),
    ("regional", "小米SU7的车机软件通过什么方式升级？", ["空中更新"], [TW_SU7], "通过空中更新（OTA）。"),
    ("regional", "雷军在网上发布的什么视频引发了大量讨论？", ["試駕影片"], [TW_SU7], "他的试驾影片（视频）。"),
    ("regional", "麟洋配决赛时，台北一位出租车司机是怎么看比赛的？", ["用手機看完"], [TW_BADMINTON],
     "把车停在路边，用手机看完决赛。"),
    ("regional", "台湾大选前，警方提醒网络上流传着什么样的视频？", ["深偽影片"], [TW_ELECTION], "经过变造的深伪影片。"),
    ("regional", "核三厂每台机组的装机容量大约是多少千瓦？", ["95萬瓩"], [TW_NUCLEAR], "约95万瓩（千瓦）。"),
    ("regional", "台湾AI服务器和数据中心用电增长，经济部打算用什么补上核电的缺口？", ["天然氣發電與再生能源"],
     [TW_NUCLEAR], "天然气发电与再生能源。"),
    ("regional", "去启德体育园可以坐哪条地铁线？", ["屯馬綫"], [HK_KAITAK], "港铁屯马线（启德站、宋皇台站）。"),
    ("regional", "启德体育园附近为出租车安排了什么设施？", ["的士上落客區"], [HK_KAITAK], "的士上落客区。"),
    ("regional", "启德体育园的移动网络覆盖情况如何？", ["5G流動網絡"], [HK_KAITAK], "全面覆盖5G流动网络。"),
    ("regional", "启德体育园大型活动散场时会安排什么公交服务？", ["特別巴士路線"], [HK_KAITAK], "特别巴士路线。"),
    # --- english_to_zh: English question, answer in a Chinese article
    ("english_to_zh", "How much net profit did BYD make in 2024?", ["402.54亿元"], [BYD],
     "40.254 billion yuan, up 34%."),
    ("english_to_zh", "How many new energy vehicles did BYD sell in 2024?", ["427.21万辆"], [BYD], "4.2721 million."),
    ("english_to_zh", "What is the starting price of the Xiaomi SU7?", ["21.59万元"], [SU7, TW_SU7],
     "215,900 yuan for the standard version."),
    ("english_to_zh", "How many engineers work on Xiaomi's car research team?", ["3400多名工程师"], [SU7],
     "More than 3,400 engineers."),
    ("english_to_zh", "What was the combined turnover of the Shanghai and Shenzhen stock markets on 8 October 2024?",
     ["3.48万亿元"], [ASHARE], "3.48 trillion yuan, a record."),
    ("english_to_zh", "Which studio made the animation of Ne Zha 2?", ["可可豆"], [NEZHA],
     "Chengdu Coco Cartoon (成都可可豆动画)."),
    ("english_to_zh", "How many gold medals did China win at the Paris 2024 Olympics?", ["40枚金牌"], [PARIS],
     "40 gold medals, level with the United States."),
    ("english_to_zh", "What were the game scores in Lee Yang and Wang Chi-lin's Olympic final in Paris?",
     ["21:17、18:21、21:19"], [TW_BADMINTON], "21:17, 18:21, 21:19."),
    ("english_to_zh", "What share of the vote did Ko Wen-je get in Taiwan's 2024 presidential election?", ["26.46%"],
     [TW_ELECTION], "26.46%."),
    ("english_to_zh", "When was Taiwan's last nuclear reactor shut down?", ["2025年5月17日"], [TW_NUCLEAR],
     "17 May 2025, when Maanshan unit 2's licence expired."),
    ("english_to_zh", "How many spectators can the main stadium of Kai Tak Sports Park hold?", ["5萬名觀眾"],
     [HK_KAITAK], "50,000."),
    # --- zh_to_english: Chinese question, answer in an English article
    ("zh_to_english", "美联储理事中是谁投了反对票？", ["Michelle Bowman|Bowman"], [FED], "理事Michelle Bowman，她希望只降25个基点。"),
    ("zh_to_english", "美联储这次降息之前，利率维持在什么水平？", ["5.25% to 5.5%"], [FED], "5.25%至5.5%，23年来最高。"),
    ("zh_to_english", "鲍威尔在记者会上怎么评价这次降息的时机？", ["timely"], [FED],
     "“We don't think we're behind. We think this is timely.”"),
    ("zh_to_english", "美国8月份的失业率是多少？", ["4.2%"], [FED], "4.2%。"),
    ("zh_to_english", "美联储官员预计2025年还会降息多少？", ["full percentage point"], [FED], "再降一个百分点。"),
    ("zh_to_english", "这是自哪一年以来首次有美联储理事对利率决定投反对票？", ["since 2005"], [FED], "2005年以来首次。"),
    ("zh_to_english", "来那卡帕韦（lenacapavir）在美国的年度标价是多少？", ["$28,218"], [HIV], "每年28,218美元。"),
    ("zh_to_english", "生产来那卡帕韦的吉利德公司总部在哪里？", ["Foster City"], [HIV], "加州Foster City。"),
    ("zh_to_english", "PURPOSE 2试验中出现了几例HIV感染？", ["two infections"], [HIV], "2,179名参与者中2例感染。"),
    ("zh_to_english", "联合国艾滋病规划署估计2023年新增多少HIV感染者？", ["1.3 million"], [HIV], "约130万人。"),
    ("zh_to_english", "《科学》杂志把来那卡帕韦评为哪一年的年度突破？", ["Breakthrough of the Year for 2024"], [HIV],
     "2024年度突破。"),
    # --- multi_fact: two things asked
    ("multi_fact", "比亚迪2024年的营业收入和净利润分别是多少？", ["7771.02亿元", "402.54亿元"], [BYD],
     "营收7771.02亿元，归母净利润402.54亿元。"),
    ("multi_fact", "小米SU7 Max版的最高车速和续航里程分别是多少？", ["265公里/小时", "800公里"], [SU7],
     "最高车速265公里/小时，CLTC续航800公里。"),
    ("multi_fact", "9月30日深证成指和创业板指分别上涨了多少？", ["10.67%", "15.36%"], [ASHARE],
     "深证成指涨10.67%，创业板指涨15.36%。"),
    ("multi_fact", "中国队在巴黎奥运会上获得了多少枚银牌和多少枚铜牌？", ["27枚银牌", "24枚铜牌"], [PARIS],
     "27枚银牌、24枚铜牌。"),
    ("multi_fact", "國民黨和民進黨在立法院各拿下幾席？", ["52席", "51席"], [TW_ELECTION], "國民黨52席，民進黨51席。"),
    ("multi_fact", "啟德體育園的室內體育館和公眾運動場各有多少個座位？", ["1萬個座位", "5千個座位"], [HK_KAITAK],
     "室內體育館1萬個座位，公眾運動場5千個座位。"),
    ("multi_fact", "吉利德与几家仿制药厂签了授权协议？覆盖多少个国家？", ["six generic drug makers", "120 low"], [HIV],
     "6家仿制药厂，120个中低收入国家。"),
    ("multi_fact", "In which two countries was PURPOSE 1 run, and how many participants received lenacapavir?",
     ["South Africa and Uganda", "2,134"], [HIV], "South Africa and Uganda; 2,134 participants, none infected."),
    # --- multi_article: the answer needs two articles
    ("multi_article", "潘展乐和林郁婷分别在巴黎奥运会的哪个项目夺得金牌？", ["100米自由泳", "57公斤級"],
     [PARIS, TW_BADMINTON], "潘展乐：男子100米自由泳；林郁婷：女子拳击57公斤级。"),
    ("multi_article", "比亚迪2024年的研发投入和小米造车的首期研发投入分别是多少？", ["541.61亿元", "超过100亿元|超過人民幣100億元"],
     [BYD, SU7, TW_SU7], "比亚迪541.61亿元；小米首期超过100亿元。"),
    ("multi_article", "小米SU7 Max的零百加速是多少？比亚迪超级e平台充电5分钟能跑多远？", ["2.78秒", "400公里"],
     [SU7, BYD], "2.78秒；闪充5分钟畅行400公里。"),
    ("multi_article", "美联储9月降息时美国8月失业率是多少？9月30日A股两市成交额是多少？", ["4.2%", "2.59万亿元"],
     [FED, ASHARE], "失业率4.2%；成交额2.59万亿元。"),
    ("multi_article", "2024年台湾总统大选的投票率和2025年核三重启公投的同意票分别是多少？", ["71.86%", "434萬"],
     [TW_ELECTION, TW_NUCLEAR], "投票率71.86%；同意票约434万票。"),
    ("multi_article", "Who dissented at the Fed's September 2024 meeting, and who announced China's reserve "
     "requirement cut on 24 September?", ["Bowman", "潘功胜"], [FED, ASHARE],
     "Governor Michelle Bowman; PBOC governor Pan Gongsheng."),
    # --- conflict: the sources disagree, both figures are expected
    ("conflict", "小米SU7上市24小时的大定订单有多少台？", ["88898", "7.5萬"], [SU7, TW_SU7],
     "小米官方公布88898台（md02）；台湾报道说7.5万辆（md08）。"),
    ("conflict", "小米SU7首日的大定訂單有多少輛？", ["88898", "7.5萬"], [SU7, TW_SU7],
     "88898台（md02）與7.5萬輛（md08）。"),
    ("conflict", "美联储是哪一天宣布降息50个基点的？", ["9月19日", "September 18"], [ASHARE, FED],
     "英文报道说9月18日（美国时间），中文报道说北京时间9月19日凌晨。"),
    ("conflict", "On what date did the Fed announce its half-point rate cut?", ["September 18", "9月19日"],
     [FED, ASHARE], "September 18 (US); the Chinese report gives 19 September, Beijing time."),
    ("conflict", "巴黎奥运会羽毛球男双决赛现场有多少名观众？", ["8000名", "7500名"], [PARIS, TW_BADMINTON],
     "逾8000名（md05）与约7500名（md06）。"),
    # --- unanswerable near-misses: a period, place, company or entity the articles do not cover
    ("unanswerable", "比亚迪2019年的新能源汽车销量是多少？", [], [], NO_ZH),
    ("unanswerable", "特斯拉2023年交付了多少辆车？", [], [], NO_ZH),
    ("unanswerable", "特斯拉2024年的净利润是多少？", [], [], NO_ZH),
    ("unanswerable", "特斯拉2024年的研发投入是多少？", [], [], NO_ZH),
    ("unanswerable", "蔚来2024年的营业收入是多少？", [], [], NO_ZH),
    ("unanswerable", "小米SU7在2024年全年交付了多少辆？", [], [], NO_ZH),
    ("unanswerable", "小米SU7 Ultra的售价是多少？", [], [], NO_ZH),
    ("unanswerable", "10月8日深证成指涨了多少？", [], [], NO_ZH),
    ("unanswerable", "9月30日恒生指数涨了多少？", [], [], NO_ZH),
    ("unanswerable", "《唐探1900》的票房是多少？", [], [], NO_ZH),
    ("unanswerable", "《哪吒2》在2025年3月底的累计票房是多少？", [], [], NO_ZH),
    ("unanswerable", "中国队在东京奥运会上获得了多少枚金牌？", [], [], NO_ZH),
    ("unanswerable", "法国队在巴黎奥运会上获得了多少枚金牌？", [], [], NO_ZH),
    ("unanswerable", "林郁婷在東京奧運拿到什麼名次？", [], [], NO_HANT),
    ("unanswerable", "2016年台灣總統大選的投票率是多少？", [], [], NO_HANT),
    ("unanswerable", "民進黨在2020年立委選舉拿下幾席？", [], [], NO_HANT),
    ("unanswerable", "核四廠什麼時候重新啟用？", [], [], NO_HANT),
    ("unanswerable", "啟德體育園主場館的造價是多少？", [], [], NO_HANT),
    ("unanswerable", "香港大球场是哪一年建成的？", [], [], NO_ZH),
    ("unanswerable", "What did the Bank of England decide at its September 2024 meeting?", [], [], NO_EN),
    ("unanswerable", "By how much did the Fed cut rates in November 2024?", [], [], NO_EN),
    ("unanswerable", "日本央行9月把政策利率定在多少？", [], [], NO_ZH),
    ("unanswerable", "How much does lenacapavir cost in the United Kingdom?", [], [], NO_EN),
    ("unanswerable", "How many people were newly infected with HIV in 2022, according to UNAIDS?", [], [], NO_EN),
    ("unanswerable", "明天上海会下雨吗？", [], [], NO_ZH),
    ("unanswerable", "How do I bake sourdough bread at home?", [], [], NO_EN),
    ("unanswerable", "2026年世界杯在哪些国家举办？", [], [], NO_ZH),
]


def rows(items: list[Item], prefix: str, corpus: str) -> list[dict[str, object]]:
    """Dataset rows of a table (`ITEMS`): ids `<prefix>001`…, every item naming `corpus`."""
    out = []
    for n, (kind, question, facts, sources, answer) in enumerate(items, start=1):
        out.append({"id": f"{prefix}{n:03d}", "question": question, "facts": facts, "sources": sources,
                    "answerable": kind != "unanswerable", "answer": answer, "kind": kind, "corpus": corpus})
    return out


def write_dataset(items: list[Item], prefix: str, corpus: str, name: str) -> None:
    """Write the table as `evals/<name>` (JSON Lines)."""
    here = Path(__file__).resolve().parent
    lines = [json.dumps(row, ensure_ascii=False) for row in rows(items, prefix, corpus)]
    (here / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    write_dataset(ITEMS, "md", CORPUS, "multidomain_dev.jsonl")


if __name__ == "__main__":
    main()
