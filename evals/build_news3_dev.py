"""Source of evals/news3_dev.jsonl: edit the table here, then run
`python evals/build_news3_dev.py` to rewrite the file (`assistant eval check
evals/news3_dev.jsonl --corpus evals/corpora/news3` validates it).

Each row: kind, question, facts ('|' = alternatives), sources, answer (reference).
The articles are described in evals/NEWS3.md. Unanswerable rows have no facts and no sources.
"""

from __future__ import annotations

from build_multidomain_dev import Item, write_dataset  # evals/ is this script's folder

CORPUS = "corpora/news3"  # relative to this file's folder

GAOKAO, AO_FINAL, AXIS, GRAIN = ("n3_01_gaokao_2024", "n3_02_ao2024_womens_final", "n3_03_beijing_central_axis",
                                 "n3_04_china_grain_output_2024")
TW_QUAKE, TW_AIRLINES = "n3_05_tw_hualien_earthquake", "n3_06_tw_airlines_2024_results"
HK_RUNWAY, HK_CATHAY = "n3_07_hk_three_runway", "n3_08_hk_cathay_2024_results"
QUAKE_EN, JWST = "n3_09_hualien_earthquake_en", "n3_10_jwst_distant_galaxy"

NO_ZH = "文章中没有这方面的信息。"
NO_HANT = "文章中沒有這方面的資訊。"
NO_EN = "The articles do not say."

ITEMS: list[Item] = [
    # --- lookup: a plain fact, question in the article's own script/language
    ("lookup", "2024年全国高考报名人数是多少？", ["1342万"], [GAOKAO], "1342万人，比去年增加51万人。"),
    ("lookup", "2024年澳网女单决赛，郑钦文输给了谁？", ["萨巴伦卡"], [AO_FINAL],
     "白俄罗斯选手、卫冕冠军萨巴伦卡，比分3比6、2比6。"),
    ("lookup", "北京中轴线全长多少公里？", ["7.8公里"], [AXIS], "7.8公里，南起永定门，北至钟鼓楼。"),
    ("lookup", "2024年全国粮食总产量是多少？", ["70650万吨|14130亿斤"], [GRAIN], "70650万吨（14130亿斤），增长1.6%。"),
    ("lookup", "花蓮這次強震造成多少人受傷？", ["1,011人|more than 1,000"], [TW_QUAKE, QUAKE_EN],
     "截至3日晚間9時，1,011人受傷（英文報道說逾1000人）。"),
    ("lookup", "長榮航空2024年的每股盈餘是多少？", ["4.27元"], [TW_AIRLINES], "4.27元。"),
    ("lookup", "機場三跑道系統的工程造價是多少？", ["1415億元"], [HK_RUNWAY], "約1415億元。"),
    ("lookup", "國泰航空2024年股東應佔溢利是多少？", ["98.88億港元"], [HK_CATHAY], "98.88億港元，按年增加1%。"),
    ("lookup", "What redshift was measured for JADES-GS-z14-0?", ["14.32"], [JWST],
     "14.32, about 290 million years after the Big Bang."),
    ("lookup", "What magnitude did the US Geological Survey give the April 2024 Hualien earthquake?",
     ["magnitude 7.4"], [QUAKE_EN], "7.4 (Taiwan's Central Weather Administration said 7.2)."),
    # --- paraphrase: little word overlap with the passage
    ("paraphrase", "今年参加高考的学生比上一年多出来多少人？", ["51万"], [GAOKAO], "多了51万人。"),
    ("paraphrase", "郑钦文在墨尔本争冠那场球一共打了多久？", ["76分钟"], [AO_FINAL], "76分钟。"),
    ("paraphrase", "打完这届澳网，郑钦文的世界排位会爬到第几？", ["第7位"], [AO_FINAL], "世界第7位，生涯新高。"),
    ("paraphrase", "北京那条贯穿老城南北的轴线，是从哪一年开始着手争取成为世界遗产的？", ["2011年"], [AXIS],
     "2011年开始申遗，2012年列入预备名单。"),
    ("paraphrase", "2024年平均下来，一亩田能收获多少粮食？", ["394.7公斤"], [GRAIN], "每亩394.7公斤。"),
    ("paraphrase", "為了蓋第三條跑道，機場北面的海填了多大一片？", ["650公頃"], [HK_RUNWAY], "約650公頃。"),
    ("paraphrase", "How long did the team point Webb's spectrograph at the record-breaking galaxy?",
     ["almost 10 days"], [JWST], "Almost 10 days, with NIRSpec, in January 2024."),
    ("paraphrase", "How badly is the nine-storey block in Hualien that lost its ground floor tilting?",
     ["45 degrees"], [QUAKE_EN], "The Uranus Building leans at about 45 degrees."),
    # --- cross_script: Simplified question on a Traditional article, or the reverse
    ("cross_script", "花莲地震中花莲县的最大震度是几级？", ["6強"], [TW_QUAKE], "6强。"),
    ("cross_script", "花莲地震时，台北民众的手机为什么没有收到国家级警报？", ["未達4級門檻"], [TW_QUAKE],
     "气象署说系统预估台北震度未达4级门槛，所以没有对台北发送。"),
    ("cross_script", "长荣航空2024年的合并营收是多少？", ["2124.6億元"], [TW_AIRLINES], "新台币2124.6亿元，年增7.9%。"),
    ("cross_script", "国泰航空2024年全年每股派息多少？", ["0.63元"], [HK_CATHAY],
     "每股0.63元（第一次中期0.2元，第二次中期0.43元）。"),
    ("cross_script", "国泰检查A350机队后，发现多少架需要更换零件？", ["15架"], [HK_CATHAY], "48架中有15架。"),
    ("cross_script", "北京中軸線這次列入名錄的遺產構成要素共有幾處？", ["15處"], [AXIS], "15處。"),
    # --- regional: mainland-usage Simplified question on a Taiwan / Hong Kong usage article
    ("regional", "花莲地震后，台北地铁停运检查了多久才恢复？", ["1小時內"], [TW_QUAKE],
     "台北捷运（地铁）各线约1小时内陆续恢复营运。"),
    ("regional", "地震后很多人用什么软件给家人报平安？", ["通訊軟體"], [TW_QUAKE], "通讯软件（軟體）；也可拨1991报平安。"),
    ("regional", "香港机场员工凌晨下班，除了通宵公交车还能怎么回市区？", ["的士"], [HK_RUNWAY],
     "搭的士（出租车），但车资不便宜。"),
    ("regional", "香港机场扩建后，东涌一带商品房的出租需求有什么变化？", ["私樓租務需求"], [HK_RUNWAY],
     "东涌一带私楼租务需求近月上升。"),
    ("regional", "国泰的常客说，现在去机场不用一早打出租车，改坐什么？", ["機場快綫"], [HK_CATHAY], "港铁机场快线。"),
    # --- english_to_zh: English question, answer in a Chinese article (facts are the Chinese strings)
    ("english_to_zh", "How many Chinese provinces now use the new gaokao system?", ["29个"], [GAOKAO],
     "29, after seven more provinces joined in 2024."),
    ("english_to_zh", "Who did Zheng Qinwen beat in the 2024 Australian Open semi-final?", ["亚斯特雷姆斯卡"], [AO_FINAL],
     "The qualifier Dayana Yastremska, 6-4, 6-4."),
    ("english_to_zh", "How many World Heritage sites does China have now that the Beijing Central Axis has been added?",
     ["59项"], [AXIS], "59."),
    ("english_to_zh", "How deep was the April 2024 Hualien earthquake?", ["15.5公里"], [TW_QUAKE],
     "15.5 km, according to Taiwan's Central Weather Administration."),
    ("english_to_zh", "How many passengers did Cathay Pacific carry in 2024?", ["2806萬人次"], [HK_CATHAY],
     "28.06 million, up 26%."),
    ("english_to_zh", "What share of China Airlines' revenue comes from cargo?", ["4成"], [TW_AIRLINES],
     "About 40%."),
    # --- zh_to_english: Chinese question, answer in an English article (facts are the English strings)
    ("zh_to_english", "花莲地震后，日本与那国岛观测到多高的海啸？", ["30 centimetres"], [QUAKE_EN], "约30厘米。"),
    ("zh_to_english", "花莲地震后最强的一次余震是多少级？", ["6.4"], [QUAKE_EN], "6.4级，主震后13分钟。"),
    ("zh_to_english", "1999年台湾那场大地震大约造成多少人死亡？", ["2,400"], [QUAKE_EN], "约2400人。"),
    ("zh_to_english", "花莲地震期间，大约多少名饭店员工一度失联？", ["50 hotel workers"], [QUAKE_EN],
     "约50名，乘四辆小巴，后来都找到了。"),
    ("zh_to_english", "目前已知最遥远的星系叫什么名字？", ["JADES-GS-z14-0"], [JWST], "JADES-GS-z14-0，红移14.32。"),
    ("zh_to_english", "詹姆斯·韦布太空望远镜是哪一天发射的？", ["December 25, 2021"], [JWST], "2021年12月25日。"),
    # --- multi_fact: two things asked of one article
    ("multi_fact", "澳网女单冠军和亚军的奖金分别是多少？", ["315万澳元", "172.5万澳元"], [AO_FINAL],
     "冠军315万澳元，亚军172.5万澳元。"),
    ("multi_fact", "2024年玉米和小麦的产量分别是多少？", ["29492万吨", "14010万吨"], [GRAIN],
     "玉米29492万吨，小麦14010万吨。"),
    ("multi_fact", "國泰2024年的收益是多少？按年增長了多少？", ["1044.33億元", "10.1%"], [HK_CATHAY],
     "1044.33億元，按年增加10.1%。"),
    ("multi_fact", "What is the redshift of JADES-GS-z14-1, and how wide is JADES-GS-z14-0?",
     ["13.90", "1,600 light-years"], [JWST], "JADES-GS-z14-1: 13.90; JADES-GS-z14-0 is more than 1,600 light-years across."),
    # --- multi_article: each fact is in a different article
    ("multi_article", "2024年高考报名人数是多少？同一年全国粮食总产量是多少？", ["1342万", "70650万吨|14130亿斤"],
     [GAOKAO, GRAIN], "1342万人；70650万吨（14130亿斤）。"),
    ("multi_article", "國泰航空和長榮航空2024年的淨利各是多少？", ["98.88億港元", "232.6億元"], [HK_CATHAY, TW_AIRLINES],
     "國泰股東應佔溢利98.88億港元；長榮歸屬母公司淨利新台幣232.6億元。"),
    ("multi_article", "香港机场2024年全年预计客运量是多少？国泰集团这一年接载了多少人次？", ["5300萬人次", "2806萬人次"],
     [HK_RUNWAY, HK_CATHAY], "机场全年预计约5300万人次；国泰集团2806万人次。"),
    # --- conflict: the sources disagree, both figures are expected
    ("conflict", "2024年4月花莲地震造成多少人死亡？", ["9人罹難", "killing 10 people"], [TW_QUAKE, QUAKE_EN],
     "台湾报道说9人罹难（消防署，截至3日晚9时，n3_05）；英文报道说10人死亡（n3_09）。"),
    ("conflict", "After the April 2024 Hualien earthquake, what share of the households that lost power had it back "
     "by the afternoon?", ["90%", "97%"], [QUAKE_EN, TW_QUAKE],
     "The English report says about 90% by mid-afternoon (n3_09); the Taiwan report says 97% by 3 pm (n3_05)."),
    # --- unanswerable near-misses: a period, place, company or entity the articles do not cover
    ("unanswerable", "2024年山东省高考报名人数是多少？", [], [], NO_ZH),
    ("unanswerable", "2025年全国高考报名人数是多少？", [], [], NO_ZH),
    ("unanswerable", "2024年澳网男单决赛最后谁夺冠了？", [], [], NO_ZH),
    ("unanswerable", "萨巴伦卡赛前的世界排名是第几位？", [], [], NO_ZH),
    ("unanswerable", "巴丹吉林沙漠—沙山湖泊群的面积有多大？", [], [], NO_ZH),
    ("unanswerable", "北京中轴线的保护整治工程一共投入了多少资金？", [], [], NO_ZH),
    ("unanswerable", "2024年黑龙江的粮食产量是多少？", [], [], NO_ZH),
    ("unanswerable", "2024年11月全国鲜菜价格同比下降了多少？", [], [], NO_ZH),
    ("unanswerable", "華航2024年每股盈餘是多少？", [], [], NO_HANT),
    ("unanswerable", "星宇航空2024年稅後淨利是多少？", [], [], NO_HANT),
    ("unanswerable", "長榮航空2024年載客多少人次？", [], [], NO_HANT),
    ("unanswerable", "香港快運2024年賺了多少錢？", [], [], NO_HANT),
    ("unanswerable", "香港國際機場2024年的貨運量是多少？", [], [], NO_HANT),
    ("unanswerable", "深圳宝安机场2024年的客运量是多少？", [], [], NO_ZH),
    ("unanswerable", "What is the mass of JADES-GS-z14-1?", [], [], NO_EN),
    ("unanswerable", "What was the estimated economic loss from the April 2024 Hualien earthquake?", [], [], NO_EN),
]


def main() -> None:
    write_dataset(ITEMS, "n3", CORPUS, "news3_dev.jsonl")


if __name__ == "__main__":
    main()
