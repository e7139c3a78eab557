"""Source of evals/dev.jsonl and evals/dev_multiturn.jsonl: edit the tables here, then run
`python evals/build_dev.py` to rewrite both files (`assistant eval check` validates them).

Each row: id, kind, question, facts ('|' = alternatives), sources, answer (reference).
"""

from __future__ import annotations

import json
from pathlib import Path

A0, A1, A2, A3, A4 = ("000_da357fa45bf7326d", "001_281899ef3b77ad6e", "002_9b6c0dc71fbfa5b9",
                      "003_487fbec222c91da9", "004_0192960aab3099c9")

ITEMS: list[tuple[str, str, str, list[str], list[str], str]] = [
    # --- single facts, Simplified questions on Traditional articles (cross-script)
    ("d01", "cross_script", "H20芯片的性能是H100的多少？", ["30%|15%"], [A0, A2], "000 说约为H100的30%，002 说不到15%。"),
    ("d02", "cross_script", "H20的单价大约是多少？", ["1.2万美元"], [A0], "约1.2万美元，约为H100的一半。"),
    ("d03", "cross_script", "英伟达中国团队大约有多少名员工？", ["4000"], [A0], "约4000名员工。"),
    ("d04", "cross_script", "2013年黄仁勋为什么参加小米的发布会？", ["tegra4"], [A0], "小米3搭载了英伟达Tegra4处理器。"),
    ("d05", "cross_script", "英伟达在亚洲市场的份额因出口限制下降到多少？", ["50%"], [A0], "从95%降到50%。"),
    ("d06", "cross_script", "黄仁勋预计到2026年中国将有多大的市场机遇？", ["500亿美元"], [A0], "500亿美元。"),
    ("d07", "cross_script", "为中国定制的新芯片是基于哪款产品的阉割版？", ["rtx pro 6000"], [A0], "Blackwell RTX Pro 6000。"),
    ("d08", "cross_script", "寒武纪一季度的营收增长到了多少？", ["11.11亿"], [A4], "从0.26亿增至11.11亿。"),
    ("d09", "cross_script", "B30芯片的能效预计比H20高多少？", ["30%"], [A4], "高出30%，采购成本降低40%。"),
    ("d10", "cross_script", "B30芯片用什么显存取代了HBM？", ["gddr7"], [A4], "GDDR7。"),
    ("d11", "cross_script", "黄仁勋在链博会上穿的是什么衣服？", ["唐装"], [A4, A0], "唐装。"),
    ("d12", "cross_script", "卢特尼克怎么评价卖给中国的芯片？", ["第三好|third best"], [A4], "不是最好，不是第二好，甚至不是第三好。"),
    ("d13", "cross_script", "英伟达CUDA 11.6的用户许可协议增加了什么条款？", ["逆向工程"], [A4], "不得逆向工程、反编译或反汇编以在非英伟达平台上运行。"),
    ("d14", "cross_script", "字节跳动2025年计划采购多少AI芯片？", ["400亿元"], [A3], "约400亿元，其中国产占60%。"),
    ("d15", "cross_script", "到2023年底CUDA软件包累计下载量达到多少？", ["4800万"], [A3], "4800万次。"),
    # --- Traditional questions on Simplified articles
    ("d16", "cross_script", "H20配備的HBM3e容量是多少？", ["96gb"], [A1], "96GB。"),
    ("d17", "cross_script", "英偉達2025財年的總營收是多少？", ["1304.97億"], [A1], "1304.97億美元，同比增長114%。"),
    ("d18", "cross_script", "2022財年英偉達中國區營收佔總營收的比例是多少？", ["35.5%"], [A1], "71.11億美元，佔35.5%。"),
    ("d19", "cross_script", "昇騰910C的良品率提高到了多少？", ["40%"], [A2], "40%，一年前為20%。"),
    ("d20", "cross_script", "CUDA生態有多少來自中國的開發者？", ["150萬"], [A2], "約430萬開發者中有150萬來自中國。"),
    ("d21", "cross_script", "2025年第一季度英偉達向中國賣了多少H20？", ["160億美元"], [A2], "價值160億美元。"),
    ("d22", "cross_script", "禁令消息傳出當天英偉達市值蒸發了多少？", ["1.3萬億"], [A2], "1.3萬億人民幣。"),
    ("d23", "cross_script", "華為計劃2025年量產多少塊910C芯片？", ["10萬"], [A2], "10萬塊910C和30萬塊910B。"),
    # --- English questions
    ("d24", "english", "How much was Nvidia's revenue in fiscal 2025?", ["1304.97"], [A1], "US$130.497 billion, up 114%."),
    ("d25", "english", "How large is the HBM3e memory of the H20?", ["96gb"], [A1], "96GB."),
    ("d26", "english", "What is the FP16 performance of the H20 chip?", ["148tflops"], [A0], "148 TFLOPS FP16; 4TB/s bandwidth."),
    ("d27", "english", "How many Hopper GPUs did Microsoft buy in 2024 according to Omdia?", ["48.5万"], [A0, A2], "485,000."),
    ("d28", "english", "By how much did Nvidia's stock fall on April 16?", ["7%"], [A3], "Nearly 7%; Nasdaq fell about 3%."),
    ("d29", "english", "Which analyst firm said Nvidia's revenue could shrink by 10%?", ["韦德布什|wedbush"], [A3], "Wedbush Securities."),
    ("d30", "english", "What computing power does CloudMatrix 384 reach?", ["300pflops"], [A0, A2], "300 PFLOPS vs 180 for NVL72."),
    ("d31", "english", "What humanoid robot foundation model does Nvidia offer?", ["groot n1"], [A4], "GROOT N1."),
    ("d32", "english", "How much did Nvidia say it would invest in US AI infrastructure?", ["5000亿美元"], [A0, A3], "Up to US$500 billion."),
    # --- paraphrases sharing few words with the text
    ("d33", "paraphrase", "腾讯和阿里在2024年第四季度的资本开支涨了多少？", ["386%"], [A2], "腾讯386%，阿里258%。"),
    ("d34", "paraphrase", "美国和中国在关税战中最终把对方商品的税率提高到多少？", ["134%"], [A0], "美国134%，中国125%。"),
    ("d35", "paraphrase", "黄仁勋年初在中国区年会上做了什么来鼓舞员工？", ["秧歌"], [A0], "穿东北大花袄扭秧歌、转手帕。"),
    ("d36", "paraphrase", "甲骨文创始人在寿司晚宴上求黄仁勋做什么？", ["芯片"], [A0], "多给一些芯片。"),
    ("d37", "paraphrase", "黄仁勋与任鸿斌会谈时为何引人注意他的着装？", ["西服"], [A1], "换上了整身西服正装，而非皮衣。"),
    ("d38", "paraphrase", "在非英伟达显卡上直接跑未修改的CUDA程序，有国内厂商这么做吗？", ["二级制文件|第三方卡"], [A4], "有厂商调用CUDA函数让二进制文件在第三方卡上运行。"),
    # --- questions about 003's garbled passages
    ("d39", "garbled", "英伟达预计一季度与H20相关的减记最高达多少？", ["55亿美元"], [A3, A1, A0], "最高55亿美元。"),
    ("d40", "garbled", "韦德布什证券认为英伟达未来季度营收可能缩减多少？", ["10%"], [A3], "10%。"),
    ("d41", "garbled", "H20在哪个CUDA版本以上无法激活？", ["12.4"], [A3], "CUDA 12.4及以上版本。"),
    ("d42", "garbled", "华为CloudMatrix 384已在哪个数据中心上线？", ["芜湖"], [A3], "芜湖数据中心。"),
    ("d43", "garbled", "海光信息的DCU兼容什么计算生态？", ["rocm"], [A3], "ROCm GPU计算生态。"),
    ("d44", "garbled", "若禁令持续，英伟达每年可能损失多少？", ["180亿美元"], [A3], "180亿美元。"),
    # --- multi-fact
    ("d45", "multi_fact", "H20的FP16算力和显存带宽分别是多少？", ["148tflops", "4tb/s"], [A0], "148TFLOPS，4TB/s。"),
    ("d46", "multi_fact", "2022财年英伟达中国区和美国的营收分别是多少？", ["71.11亿", "43.49亿"], [A1], "中国71.11亿美元，美国43.49亿美元。"),
    ("d47", "multi_fact", "昇腾910在2019年的FP16算力是多少，比V100高多少？", ["256tflops", "125"], [A2], "256TFLOPS，V100为125TFLOPS，高一倍。"),
    # --- answers in several articles
    ("d48", "multi_article", "4月17日黄仁勋在北京见了谁？", ["任鸿斌"], [A0, A1, A3], "中国贸促会会长任鸿斌。"),
    ("d49", "multi_article", "CloudMatrix 384由多少颗昇腾芯片组成？", ["384"], [A0, A2, A3, A4], "384颗。"),
    ("d50", "multi_article", "2024年英伟达中国区营收是多少？", ["171"], [A0, A1, A2, A3], "约171亿美元。"),
    # --- conflicts between sources
    ("d51", "conflict", "英伟达因H20禁令计提的损失是多少亿美元？", ["55亿", "45亿"], [A0, A1, A3, A4],
     "多篇文章说55亿美元，虎嗅说价值45亿美元的库存。"),
    ("d52", "conflict", "中国市场占英伟达营收的比例是多少？", ["13%|13.1%", "17%"], [A0, A1, A3], "网易号/2025财年报13%（13.1%），财富中文网说17%。"),
    ("d53", "conflict", "H20的算力相当于H100的几成？", ["30%", "15%"], [A0, A2], "30%（000）与不到15%（002）。"),
    ("d54", "conflict", "華為CloudMatrix超節點是什麼時候發布的？", ["4月10日|4 月 10 日", "5月"], [A0, A2, A4], "4月10日（000/002）；虎嗅说5月。"),
    # --- Traditional questions on Simplified articles
    ("d55", "cross_script", "CUDA是英偉達在哪一年推出的？", ["2006"], [A2], "2006年。"),
    ("d56", "cross_script", "CUDA生態目前大約積累了多少開發者？", ["430万"], [A2], "约430万开发者。"),
    ("d57", "cross_script", "華為計劃2025年量產多少塊910B芯片？", ["30万"], [A2], "30万块910B。"),
    ("d58", "cross_script", "英偉達在向SEC提交的哪份文件中披露了H20禁令？", ["8-k"], [A2], "8-K文件。"),
    # --- English
    ("d59", "english", "How many developers in China are working on AI, according to Jensen Huang in Beijing in July?",
     ["100万|1 million|one million"], [A4], "100万名开发者。"),
    ("d60", "english", "What yield rate has Huawei's Ascend 910C reached?", ["40%"], [A2], "40%，一年前为20%。"),
    ("d61", "english", "How much lower is the expected purchase cost of B30 compared with the H20?", ["40%"], [A4],
     "采购成本降低40%。"),
    ("d62", "english", "What FP16 performance did the Ascend 910 have when it launched in 2019?", ["256tflops"], [A2],
     "256TFLOPS。"),
    # --- paraphrases sharing few words with the text
    ("d63", "paraphrase", "美国政府后来是不是又放行了H20对华销售？", ["批准"], [A4], "两天前美国政府已批准H20再度销往中国。"),
    ("d64", "paraphrase", "用英伟达的软件就离不开它的硬件，文章拿什么来打比方？", ["ios|苹果"], [A2],
     "就像用iOS系统就要买苹果手机。"),
    ("d65", "paraphrase", "跟NVL72相比，华为的超节点算力高出多少？", ["67%"], [A2], "提升了67%。"),
    ("d66", "paraphrase", "禁令之前，英伟达今年的市值已经缩水了多少？", ["三分之一"], [A2], "缩水三分之一。"),
    # --- the garbled article (003)
    ("d67", "garbled", "字节跳动采购的AI芯片中国产供应商占比多少？", ["60%"], [A3], "60%。"),
    ("d68", "garbled", "英伟达是哪天首次获悉特朗普的打算的？", ["4月9日"], [A3], "4月9日。"),
    # --- multi-fact
    ("d69", "multi_fact", "CUDA生态有多少开发者，其中来自中国的有多少？", ["430万", "150万"], [A2], "约430万，其中中国150万。"),
    ("d70", "multi_fact", "B30相比H20，能效和采购成本分别有什么变化？", ["30%", "40%"], [A4], "能效高30%，成本降40%。"),
    ("d71", "multi_fact", "昇腾910C的良品率从多少提高到了多少？", ["20%", "40%"], [A2], "从20%提高到40%。"),
    # --- answers that span two articles
    ("d72", "multi_article", "黄仁勋在链博会上穿了什么，4月会见任鸿斌时又穿了什么？", ["唐装", "西服"], [A4, A1],
     "链博会穿唐装（虎嗅），会见任鸿斌时穿西服（001）。"),
    ("d73", "multi_article", "华为CloudMatrix 384的算力规模是多少，已在哪个数据中心上线？", ["300pflops", "芜湖"], [A2, A3],
     "300PFlops（市值观察），芜湖数据中心（财富中文网）。"),
    ("d74", "multi_article", "英伟达一季度向中国卖了多少H20，又因禁令计提了多少损失？", ["160亿美元", "55亿美元"],
     [A2, A0, A1, A3], "160亿美元（市值观察）；55亿美元（多篇）。"),
    ("d75", "multi_article", "禁令消息传出后，英伟达市值蒸发了多少，股价单日跌了多少？", ["1.3万亿", "7%"], [A2, A3],
     "市值蒸发1.3万亿人民币（市值观察），股价跌近7%（财富中文网）。"),
]

UNANSWERABLE: list[tuple[str, str]] = [
    ("u01", "英伟达2025财年第二季度的净利润是多少？"),
    ("u02", "黄仁勋的年薪是多少？"),
    ("u03", "H20芯片的功耗是多少瓦？"),
    ("u04", "華為昇騰910C的單價是多少？"),
    ("u05", "What is the retail price of the B30 chip?"),
    ("u06", "台积电2024年的营收是多少？"),
    ("u07", "英偉達在全球共有多少名員工？"),
    ("u08", "小米SU7汽车的售价是多少？"),
    ("u09", "What is Nvidia's stock ticker symbol and its closing price on July 16?"),
    ("u10", "中国对美国出口了多少吨稀土？"),
    ("u11", "AMD的MI308芯片何时获准对华出口？"),
    ("u12", "北京7月16日的天气怎么样？"),
    # close to the corpus: the articles discuss the subject but give no such figure
    ("u13", "英伟达2024年在中东地区的营收是多少？"),
    ("u14", "B30芯片的FP16算力是多少？"),
    ("u15", "CloudMatrix 384超节点的售价是多少？"),
    ("u16", "How many H20 chips did ByteDance buy in 2024?"),
    ("u17", "寒武纪2024年全年的净利润是多少？"),
    ("u18", "昇腾910C的显存容量是多少GB？"),
]

# Conversations: each later turn depends on the one before it.
CONVERSATIONS: list[tuple[str, list[tuple[str, list[str], list[str]]]]] = [
    ("m01", [("H20芯片的单价大约是多少？", ["1.2万美元"], [A0]),
             ("那它的性能是H100的多少？", ["30%|15%"], [A0, A2])]),
    ("m02", [("华为CloudMatrix 384超节点是哪天发布的？", ["4月10日|4 月 10 日"], [A0, A2]),
             ("它的算力规模能达到多少？", ["300pflops"], [A2])]),
    ("m03", [("What is the FP16 performance of the H20 chip?", ["148tflops"], [A0]),
             ("And its memory bandwidth?", ["4tb/s"], [A0])]),
    ("m04", [("寒武纪一季度的营收是多少？", ["11.11亿"], [A4]),
             ("去年同期呢？", ["0.26亿"], [A4])]),
    ("m05", [("英伟达2025财年的营收是多少？", ["1304.97"], [A1]),
             ("同比增长了多少？", ["114%"], [A1])]),
    ("m06", [("4月17日黄仁勋在北京与谁会谈？", ["任鸿斌"], [A0, A1, A3]),
             ("他那次穿的是什么？", ["西服"], [A1])]),
    ("m07", [("B30芯片用什么显存取代了HBM？", ["gddr7"], [A4]),
             ("它的能效比H20高多少？", ["30%"], [A4])]),
    ("m08", [("昇騰910C的良品率提高到了多少？", ["40%"], [A2]),
             ("華為計劃2025年量產多少塊？", ["10万"], [A2])]),
    ("m09", [("CUDA生态积累了多少开发者？", ["430万"], [A2]),
             ("其中来自中国的有多少？", ["150万"], [A2])]),
    ("m10", [("字节跳动2025年计划采购多少AI芯片？", ["400亿元"], [A3]),
             ("那它2024年买了多少块H20？", [], [])]),
]



def main() -> None:
    out = Path(__file__).with_name("dev.jsonl")
    lines = []
    for item_id, kind, question, facts, sources, answer in ITEMS:
        lines.append({"id": item_id, "question": question, "facts": facts, "sources": sources,
                      "answerable": True, "answer": answer, "kind": kind})
    for item_id, question in UNANSWERABLE:
        lines.append({"id": item_id, "question": question, "facts": [], "sources": [], "answerable": False,
                      "answer": "文章中没有这方面的信息。", "kind": "unanswerable"})
    out.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    print(f"wrote {len(lines)} items to {out}")
    conversations = []
    for conv_id, turns in CONVERSATIONS:
        conversations.append({"id": conv_id, "kind": "multi_turn", "turns": [
            {"question": question, "facts": facts, "sources": sources, "answerable": bool(facts)}
            for question, facts, sources in turns]})
    multi = Path(__file__).with_name("dev_multiturn.jsonl")
    multi.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in conversations), encoding="utf-8")
    print(f"wrote {len(conversations)} conversations to {multi}")


if __name__ == "__main__":
    main()
