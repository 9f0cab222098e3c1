"""What every document kind shares, incoming and outgoing alike: urgency and confidentiality, how a document
arrived, its signature and full-text status, and the searchable columns (``FullTextMixin``).

Its own module so that ``documents.models`` (which loads the outgoing models into the app) and
``documents.outgoing.models`` both import it, instead of each other.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Func, Value
from django.utils.translation import gettext_lazy as _


class Urgency(models.IntegerChoices):
    NORMAL = 0, _("Thường")
    URGENT = 1, _("Khẩn")
    VERY_URGENT = 2, _("Thượng khẩn")
    FLASH = 3, _("Hỏa tốc")


class Confidentiality(models.IntegerChoices):
    NORMAL = 0, _("Thường")
    SECRET = 1, _("Mật")
    TOP_SECRET = 2, _("Tối mật")
    ULTRA_SECRET = 3, _("Tuyệt mật")


class Channel(models.TextChoices):
    PAPER = "paper", _("Văn bản giấy")
    EMAIL = "email", _("Thư điện tử")
    ELECTRONIC = "electronic", _("Văn bản điện tử liên thông")


class SignatureStatus(models.TextChoices):
    UNSIGNED = "unsigned", _("Không có chữ ký số")
    VALID = "valid", _("Chữ ký số hợp lệ")
    INVALID = "invalid", _("Chữ ký số không hợp lệ")
    UNCHECKED = "unchecked", _("Chưa kiểm tra chữ ký")


class TextStatus(models.TextChoices):
    """Where the full text of a document's PDF stands (extracted by ``documents.tasks.extract_text``)."""

    NONE = "none", _("Không có tệp")
    PENDING = "pending", _("Đang trích xuất nội dung")
    TEXT = "text", _("Đã có nội dung toàn văn")
    SCANNED = "scanned", _("Bản quét, không có lớp chữ")
    FAILED = "failed", _("Không đọc được nội dung tệp")


def _tokens(field: str) -> Func:
    """The folded text with every run of punctuation made a space: "123/qd-ubnd" → "123 qd ubnd"."""
    return Func(
        models.F(field),
        Value(r"[^[:alnum:]]+"),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=models.TextField(),
    )


def search_vector_expression():
    """``simple`` tsvector of the folded metadata (weight A) and the folded full text (weight B).

    Both columns are folded in Python (``eoffice.search.fold``); PostgreSQL only splits them into words,
    so no extension and no text-search dictionary is involved.
    """
    return SearchVector(_tokens("search_text"), config="simple", weight="A") + SearchVector(
        _tokens("text_folded"), config="simple", weight="B"
    )


TEXT_COLUMNS = ("text_content", "text_folded", "search_vector")


class FullTextQuerySet(models.QuerySet):
    def with_text(self) -> FullTextQuerySet:
        """Load the full text too (search snippets, the extraction task); lists never need it."""
        return self.defer(None)


class FullTextManager(models.Manager.from_queryset(FullTextQuerySet)):
    """Leaves the full-text columns out of every load: a PDF's text may be 200,000 characters, and a list
    of twenty rows must not carry it. ``.with_text()`` loads them when a page needs them."""

    def get_queryset(self) -> FullTextQuerySet:
        return super().get_queryset().defer(*TEXT_COLUMNS)


class FullTextMixin(models.Model):
    """The searchable columns shared by every document kind: metadata, PDF text and their tsvector.

    The full-text columns are deferred by default (``FullTextManager``): reading ``text_content`` of an
    instance loaded without ``.with_text()`` costs one query.
    """

    search_text = models.TextField(editable=False, blank=True)
    text_content = models.TextField(_("nội dung toàn văn"), editable=False, blank=True)
    text_folded = models.TextField(editable=False, blank=True)
    text_status = models.CharField(
        _("nội dung toàn văn"), max_length=10, choices=TextStatus.choices, default=TextStatus.NONE
    )
    search_vector = models.GeneratedField(
        expression=search_vector_expression(), output_field=SearchVectorField(), db_persist=True
    )

    objects = FullTextManager()

    class Meta:
        abstract = True
