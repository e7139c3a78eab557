"""jieba segmentation with corpus-learned words: new-word discovery on corpora of other subjects,
function-word rejection, tags and names, and segmentation that depends only on the learned set."""

from __future__ import annotations

from assistant.text.segment import LEARNED_TAG, Segmenter, default_segmenter, discover_words, serial_names, serial_stem

# A made-up footballer, so jieba's dictionary cannot know him.
FOOTBALL = [
    "前锋卡洛维奇在第七十分钟打进制胜球，主队以二比一击败客队。",
    "赛后主教练表示，卡洛维奇的跑位让对方后卫非常头疼。",
    "本赛季卡洛维奇已经为球队贡献了十二个进球和五次助攻。",
    "球迷在看台上高喊卡洛维奇的名字，气氛十分热烈。",
    "俱乐部正在与卡洛维奇商谈续约，合同可能延长到二零二八年。",
    "门将扑出了点球，但是裁判判定需要重罚。",
    "这场比赛的上座率创下了本赛季的新高。",
]
# A made-up vaccine whose name ends in 克 (a measure word in jieba's tags), among repeated
# function-word n-grams (的时候, 这是一个, 了一些, 在…里).
VACCINES = [
    "疫苗接种的时候，医生会先询问过敏史。", "在冬天的时候，流感疫苗的需求会上升。", "他说这是一个重要的进展。",
    "研究人员认为这是一个值得关注的信号。", "接种的时候请带上身份证。", "这是一个需要长期观察的问题。",
    "了一些新的数据，了一些旧的数据，了一些别的数据。", "他们在医院里排队，在学校里排队，在社区里排队。",
    "新冠疫苗科维泰克在三期试验中效果良好。", "科维泰克的保存温度是二到八度。", "卫生部批准了科维泰克的紧急使用。",
    "不少家长询问科维泰克是否适合儿童。",
]


def test_discovery_finds_a_repeated_unknown_name() -> None:
    assert "卡洛维奇" not in default_segmenter().words("卡洛维奇打进制胜球")  # jieba alone cuts it
    assert discover_words(FOOTBALL) == ["卡洛维奇"]
    assert "科维泰克" in discover_words(VACCINES)


def test_discovery_rejects_function_word_ngrams() -> None:
    found = discover_words(VACCINES)
    assert found == ["科维泰克"]
    assert not any(w in found for w in ("的时候", "这是一个", "是一个", "了一些", "一些", "在医院"))


def test_discovery_needs_repetition() -> None:
    assert discover_words(FOOTBALL[:2]) == []  # twice is not yet a word


def test_learned_word_is_one_word_tagged_as_a_name() -> None:
    segmenter = Segmenter(discover_words(FOOTBALL))
    assert segmenter.learned == frozenset({"卡洛维奇"})
    assert "卡洛维奇" in segmenter.words("卡洛维奇打进制胜球")
    tokens = segmenter.tagged("卡洛维奇打进制胜球")
    assert (tokens[0].word, tokens[0].tag, tokens[0].start, tokens[0].is_name) == ("卡洛维奇", LEARNED_TAG, 0, True)
    assert [t.start for t in tokens] == sorted(t.start for t in tokens)
    assert segmenter.names("卡洛维奇穿着a350号球衣，在北京比赛") >= {"卡洛维奇", "a350", "北京"}
    assert "球衣" not in segmenter.names("卡洛维奇穿着a350号球衣")


def test_segmentation_depends_only_on_the_learned_set() -> None:
    words = ["卡洛维奇", "科维泰克", "洛维"]
    at_once = Segmenter(words)
    in_steps = Segmenter(words[:1]).extended(words[1:])
    texts = FOOTBALL + VACCINES
    assert [at_once.words(t) for t in texts] == [in_steps.words(t) for t in texts]
    assert at_once._tokenizer.total == default_segmenter()._tokenizer.total  # learning does not reweigh jieba
    # a text without any learned word is cut exactly as jieba cuts it
    plain = "门将扑出了点球，但是裁判判定需要重罚。"
    assert at_once.words(plain) == default_segmenter().words(plain)
    assert default_segmenter().learned == frozenset()  # `extended` copies, never changes the original


def test_numbered_designations_are_names_and_dates_are_not() -> None:
    assert serial_names("长征五号遥八运载火箭送嫦娥六号升空") == {"长征五号", "嫦娥六号"}
    assert serial_names("地铁1号线") == {"地铁1号"}
    assert serial_names("6月3号、宪判字第8号、核三厂2号机、十号风球") == set()
    assert serial_stem("嫦娥六号") == "嫦娥" and serial_stem("嫦娥") is None
    assert "嫦娥六号" in default_segmenter().names("嫦娥六号带回了多少样品")
