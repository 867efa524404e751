"""What a consultation asked: its questions, respondent types and demographic fields.

Survey tools export one row per respondent and one column per question; a `Survey` names
those columns so that an export can be checked row by row before anything is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class QuestionKind(StrEnum):
    SINGLE = "single"  # one option from a list
    MULTI = "multi"  # any number of options, separated by ";" in the export
    LIKERT = "likert"  # one point of an ordered agreement scale
    OPEN = "open"  # free text

    @property
    def closed(self) -> bool:
        return self is not QuestionKind.OPEN


LIKERT_5 = (
    "Strongly agree",
    "Agree",
    "Neither agree nor disagree",
    "Disagree",
    "Strongly disagree",
)
RESPONDENT_TYPES = ("public", "staff", "organisation")
NOT_STATED = "Not stated"


@dataclass(frozen=True)
class Question:
    code: str  # the column heading in the export, e.g. "q1"
    text: str
    kind: QuestionKind
    options: tuple[str, ...] = ()

    @property
    def agree_options(self) -> tuple[str, ...]:
        """Likert points counted as agreeing (the first two of a five-point scale)."""
        return self.options[:2] if self.kind is QuestionKind.LIKERT else ()

    @property
    def disagree_options(self) -> tuple[str, ...]:
        return self.options[-2:] if self.kind is QuestionKind.LIKERT else ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "text": self.text,
            "kind": self.kind.value,
            "options": list(self.options),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Question:
        return cls(
            code=str(data["code"]),
            text=str(data["text"]),
            kind=QuestionKind(data["kind"]),
            options=tuple(data.get("options") or ()),
        )


@dataclass(frozen=True)
class Survey:
    """The columns of a response export and the values each may hold."""

    questions: tuple[Question, ...]
    id_column: str = "response_id"
    type_column: str = "respondent_type"
    respondent_types: tuple[str, ...] = RESPONDENT_TYPES
    # demographic column -> allowed values (blank cells become "Not stated")
    demographics: dict[str, tuple[str, ...]] = field(default_factory=dict)
    postcode_column: str = "postcode_district"
    lsoa_column: str = "lsoa_code"

    def question(self, code: str) -> Question:
        for q in self.questions:
            if q.code == code:
                return q
        raise KeyError(f"No question {code!r}; the survey has {[q.code for q in self.questions]}")

    @property
    def open_questions(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.kind is QuestionKind.OPEN)

    @property
    def closed_questions(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.kind.closed)

    @property
    def required_columns(self) -> list[str]:
        return [
            self.id_column,
            self.type_column,
            *self.demographics,
            *(q.code for q in self.questions),
        ]


@dataclass
class Response:
    """One respondent's validated answers."""

    response_id: str
    respondent_type: str
    demographics: dict[str, str]
    postcode_district: str
    lsoa_code: str
    area: str  # local authority district (from the LSOA) or postcode area
    answers: dict[str, str | list[str]]  # closed question code -> option(s)
    texts: dict[str, str]  # open question code -> text ("" when left blank)
    row: int = 0  # the row number in the file it came from (header is row 1)


def survey_to_dict(survey: Survey) -> dict[str, Any]:
    """A JSON-friendly form of the survey, for storing with a consultation."""
    return {
        "questions": [q.to_dict() for q in survey.questions],
        "id_column": survey.id_column,
        "type_column": survey.type_column,
        "respondent_types": list(survey.respondent_types),
        "demographics": {k: list(v) for k, v in survey.demographics.items()},
        "postcode_column": survey.postcode_column,
        "lsoa_column": survey.lsoa_column,
    }


def survey_from_dict(data: dict[str, Any]) -> Survey:
    return Survey(
        questions=tuple(Question.from_dict(q) for q in data["questions"]),
        id_column=data.get("id_column", "response_id"),
        type_column=data.get("type_column", "respondent_type"),
        respondent_types=tuple(data.get("respondent_types", RESPONDENT_TYPES)),
        demographics={k: tuple(v) for k, v in data.get("demographics", {}).items()},
        postcode_column=data.get("postcode_column", "postcode_district"),
        lsoa_column=data.get("lsoa_column", "lsoa_code"),
    )
