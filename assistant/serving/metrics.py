"""Prometheus metrics, in a registry per service so that tests and several apps do not collide."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("assistant_http_requests", "HTTP requests by route and status",
                                ["method", "route", "status"], registry=self.registry)
        self.request_seconds = Histogram("assistant_http_request_seconds", "HTTP request latency by route",
                                         ["route"], buckets=LATENCY_BUCKETS, registry=self.registry)
        self.stage_seconds = Histogram("assistant_stage_seconds", "answer latency by stage (condense, retrieve, "
                                       "generate)", ["stage"], buckets=LATENCY_BUCKETS, registry=self.registry)
        self.answers = Counter("assistant_answers", "answers by backend", ["backend"], registry=self.registry)
        self.refusals = Counter("assistant_refusals", "answers that said the articles do not hold the answer",
                                registry=self.registry)
        self.llm_errors = Counter("assistant_llm_errors", "LLM calls that failed and fell back to the offline answer",
                                  registry=self.registry)
        self.rate_limited = Counter("assistant_rate_limited", "requests refused with 429", registry=self.registry)
        self.feedback = Counter("assistant_feedback", "user feedback on answers", ["channel", "value"],
                                registry=self.registry)

    def observe_answer(self, backend: str, refused: bool, timings: dict[str, float], notices: list[str]) -> None:
        self.answers.labels(backend).inc()
        if refused:
            self.refusals.inc()
        if any(n.startswith("llm_error") for n in notices):
            self.llm_errors.inc()
        for stage, seconds in timings.items():
            self.stage_seconds.labels(stage).observe(seconds)

    def render(self) -> bytes:
        return generate_latest(self.registry)
