"""Splitting a message into the questions it asks (`subquestions.py`)."""

from __future__ import annotations

import pytest

from assistant.answering.subquestions import split_questions
from assistant.text.segment import default_segmenter


@pytest.mark.parametrize(("message", "questions"), [
    ("嫦娥六号是哪天发射的？雅万高铁是哪天正式启用的？", ["嫦娥六号是哪天发射的？", "雅万高铁是哪天正式启用的？"]),
    ("2024年訪日旅客消費額是多少？日本政府2030年的消費額目標又是多少？",
     ["2024年訪日旅客消費額是多少？", "日本政府2030年的消費額目標又是多少？"]),
    ("Who became UK prime minister in July 2024, and who took over Japan's farm ministry in May 2025?",
     ["Who became UK prime minister in July 2024", "who took over Japan's farm ministry in May 2025?"]),
    ("What was the turnout in 2024? How many seats did Labour win?",
     ["What was the turnout in 2024?", "How many seats did Labour win?"]),
])
def test_a_message_of_several_questions_is_split(message: str, questions: list[str]) -> None:
    assert split_questions(message, default_segmenter()) == questions


@pytest.mark.parametrize("message", [
    "英伟达因H20禁令计提了多少损失？",  # one question
    "比亚迪的营收是多少？特斯拉的呢？",  # the second asks again what the first asked
    "比亚迪的营收是多少？同比增长了多少？",  # the second leans on the first's subject
    "What was the revenue? And its profit?",
    "How many seats did the Liberal Democrats and the SNP win in 2024?",  # one question of two things
    "请介绍一下这篇文章。它说了什么？",  # the first is no question
    "球队的积分是多少？球员的年龄是多少？球场的容量是多少？门票的价格是多少？比赛的时间是几点？",  # too many at once
])
def test_one_question_is_not_split(message: str) -> None:
    assert split_questions(message, default_segmenter()) == []
