"""Cleaning before/after, seed by seed: what a reader would not want is gone, the article stays."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.ingest.cleaning import ad_tokens, clean_text, is_boilerplate_line, repair_line
from tests.support.data import SEEDS

# seed → (present before and gone after, kept after)
BEFORE_AFTER = {
    "000_da357fa45bf7326d": (
        ["「核心提示」", "作者 |張力", "特別聲明:以上內容", "Notice: The content above"],
        ["在今年黃仁勛第三次中國大陸行的同時", "計提了55億美元損失", "性能僅為H100的30%",
         "一旦CUDA的壟斷地位被打破"],
    ),
    "001_281899ef3b77ad6e": (
        ["分享", "本文由网络整理", "条评论", "主题颜色", "橘色", "扫码用手机访问", "www.trjyy.com",
         "观看记录"],
        ["H20被禁之后,黄仁勋为何紧急访华?", "约55亿美元", "占比为13.1%", "却罕见地换上了整身西服正装"],
    ),
    "002_9b6c0dc71fbfa5b9": (
        ["星速配资", "选倍网配资提示", "文 | 市值观察"],
        ["禁售中国,无异于自毁基业", "编程模型,它让开发者", "说到底,中国已经可以没有英伟达",
         "H20 算力不到 H100 的 15%"],
    ),
    "003_487fbec222c91da9": (
        ["執(zhí)", "現(xiàn)", "統(tǒng)", ",,", "許可證,。", "庫存,、"],
        ["首席執行官黃仁勛出現在美國總統特朗普", "減記將高達55億美元", "占全球17%", "出口需申請許可證。",
         "庫存、采購承諾",
         # garble with no reliable repair stays as it is
         "?qū)е掠ミ_預計"],
    ),
    "004_0192960aab3099c9": (
        ["出品 | 虎嗅科技組", "作者 | 丸都山", "編輯 | 苗正卿", "頭圖 | 視覺中國", "原文鏈接", "特別聲明", "Notice:"],
        ["價值45億美元的庫存", "7月16日,黃仁勛在北京出席了“鏈博會”", "實現商業價值回流。"],
    ),
}


@pytest.mark.parametrize("seed", sorted(BEFORE_AFTER))
def test_cleaning_seed_before_after(seed: str) -> None:
    before = (SEEDS / f"{seed}.txt").read_text(encoding="utf-8")
    after = clean_text(before)
    gone, kept = BEFORE_AFTER[seed]
    for text in gone:
        assert text in before, f"fixture error: {text!r} not in the raw seed"
        assert text not in after, f"{text!r} should have been cleaned out"
    for text in kept:
        assert text in after, f"{text!r} should have been kept"
    assert len(after) > 0.8 * len(before.strip()) - 800  # cleaning removes furniture, not the article


def test_cleaning_seed_001_drops_repeated_headline() -> None:
    after = clean_text((SEEDS / "001_281899ef3b77ad6e.txt").read_text(encoding="utf-8"))
    assert after.count("H20被禁之后,黄仁勋为何紧急访华?") == 1


def test_cleaning_ad_tokens_need_repetition() -> None:
    text = "他们使用杠杆配资,风险很大。" + "说到底星速配资,中国。" * 2
    assert ad_tokens(text) == {"星速配资"}
    assert "杠杆配资" in clean_text(text)


def test_cleaning_repeated_unknown_ad_token_removed() -> None:
    text = "第一句快快配资,没错。\n第二句快快配资,也对。"
    assert clean_text(text) == "第一句,没错。\n第二句,也对。"


def test_cleaning_pinyin_annotation_repair() -> None:
    assert repair_line("首席執(zhí)行官出現(xiàn)在會上,,他說", set()) == "首席執行官出現在會上,他說"


def test_cleaning_keeps_legitimate_parentheses() -> None:
    line = "美國證券交易委員會(SEC)與韋德布什證券(Wedbush Securities)"
    assert repair_line(line, set()) == line


@given(st.text(max_size=300))
def test_cleaning_never_crashes_and_is_idempotent(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once


@pytest.mark.parametrize("seed", sorted(BEFORE_AFTER))
def test_cleaning_seed_idempotent(seed: str) -> None:
    once = clean_text((SEEDS / f"{seed}.txt").read_text(encoding="utf-8"))
    assert clean_text(once) == once


def test_a_row_of_share_buttons_is_boilerplate() -> None:
    for line in ("分享：WhatsApp　Facebook　電郵", "分享到：微信 微博 QQ空间", "Share this article: X Facebook"):
        assert is_boilerplate_line(line), line
    assert not is_boilerplate_line("分享经济的规模达到3.2万亿元，同比增长12%，其中共享出行的占比最高。")


@pytest.mark.parametrize("line", [
    "【广告】新能源车险限时8折，点击了解详情>>",
    "〔广告〕安家贷限时优惠，最高可贷500万，点击申请>>",
    "[Advertisement]",
    "Advertisement",
    "免责声明：本文内容仅供参考，不构成任何投资建议。",
    "免責聲明：本文僅供參考。",
    "Disclaimer: This article is for general information only.",
    "声明：本文仅代表作者个人观点，不代表本平台立场。",
    "※本網站內容未經授權不得轉載",
    "本文經授權轉載，文章內容不代表本站立場。",
    "© 2024 Westminster Review. All rights reserved.",
])
def test_ads_disclaimers_and_reprint_notices_are_boilerplate(line: str) -> None:
    assert is_boilerplate_line(line)


@pytest.mark.parametrize("line", [
    "发言人在声明中表示，公司将继续推进海外业务。",
    "广告收入同比增长12%，占总营收的三成。",
    "The company said advertisement revenue rose 12% in the quarter.",
])
def test_report_sentences_about_ads_or_statements_stay(line: str) -> None:
    assert not is_boilerplate_line(line)


@pytest.mark.parametrize(("heading", "items"), [
    ("相关阅读", ["· 新能源汽车下乡活动启动 多家车企推出专属车型", "· 动力电池回收新规征求意见"]),
    ("看更多相關新聞：", ["● 麟洋配凱旋返台 桃園機場湧入大批球迷", "● 林郁婷：謝謝一路支持我的人"]),
    ("延伸閱讀", ["離岸風電第三階段區塊開發 進度一次看", "夏季用電高峰 台電：供電穩定"]),
    ("Related reading:", ["- WHO updates guidance on long-acting HIV prevention",
                          "What a Labour government means for mortgages and rents"]),
])
def test_a_related_links_list_is_dropped_and_the_report_after_it_kept(heading: str, items: list[str]) -> None:
    body = "第一段正文，报道的内容在这里。"
    after = "记者随后又采访了多位业内人士，他们认为这一趋势还将持续一段时间，并给出了各自的理由。"
    cleaned = clean_text("\n".join([body, heading, *items, "", after]))
    assert cleaned.split("\n") == [body, after]
