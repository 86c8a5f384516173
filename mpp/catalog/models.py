"""The public catalog: services, their versioned standards, categories, life events, maklumat."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from mpp.agencies.models import Agency
from mpp.core.models import BaseModel


class Category(BaseModel):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    name_en = models.CharField(_("nama (Inggris)"), max_length=120, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kategori")
        verbose_name_plural = _("kategori")

    def __str__(self) -> str:
        return self.name


class LifeEvent(BaseModel):
    """A moment of life that needs services (birth, marriage, moving house, ...)."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    name_en = models.CharField(_("nama (Inggris)"), max_length=120, blank=True)
    description = models.CharField(_("deskripsi"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("peristiwa hidup")
        verbose_name_plural = _("peristiwa hidup")

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    ONLINE = "online", _("Daring")
    COUNTER = "counter", _("Di loket")
    BOTH = "both", _("Daring dan di loket")


class Service(BaseModel):
    """A service an agency offers at the mall or online."""

    slug = models.SlugField(max_length=120, unique=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="services")
    name = models.CharField(_("nama layanan"), max_length=200)
    short_description = models.CharField(_("deskripsi singkat"), max_length=500)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="services")
    life_events = models.ManyToManyField(LifeEvent, blank=True, related_name="services")
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    keywords = models.CharField(_("kata kunci"), max_length=500, blank=True)
    synonyms = models.CharField(
        _("sinonim"), max_length=500, blank=True, help_text=_("Dipisahkan koma")
    )
    # Normalised words of name, synonyms, keywords, agency and life events (catalog.search).
    search_text = models.TextField(editable=False, default="")
    # The same for the name and synonyms only: a service named by the query ranks first.
    title_text = models.TextField(editable=False, default="")
    # The adopted version in force; kept by the standard services so that reads are one join.
    current_standard = models.OneToOneField(
        "ServiceStandard", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The layout of the document issued at the end of an online application (documents.pdf).
    document_template = models.CharField(
        _("templat dokumen terbit"), max_length=60, default="default"
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("layanan")
        verbose_name_plural = _("layanan")

    def __str__(self) -> str:
        return self.name

    @property
    def is_online(self) -> bool:
        return self.channel in (Channel.ONLINE, Channel.BOTH)


class StandardStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    ADOPTED = "adopted", _("Ditetapkan")
    SUPERSEDED = "superseded", _("Digantikan")
    WITHDRAWN = "withdrawn", _("Dicabut")


class ServiceStandard(BaseModel):
    """One version of a service's standard (standar pelayanan); immutable once adopted.

    Each of the 14 components of UU 25/2009 has its own column, validated by
    catalog.standard_schema.StandardComponents.
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="standards")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=StandardStatus.choices, default="draft")
    effective_date = models.DateField(_("tanggal berlaku"), null=True, blank=True)
    adopted_at = models.DateTimeField(null=True, blank=True)
    decree_number = models.CharField(_("nomor keputusan"), max_length=200, blank=True)
    change_note = models.CharField(_("catatan perubahan"), max_length=500, blank=True)

    requirements = models.JSONField(default=list)
    procedure = models.JSONField(default=list)
    completion_time = models.JSONField(default=dict)
    fee = models.JSONField(default=list)
    products = models.JSONField(default=list)
    complaint_handling = models.JSONField(default=dict)
    legal_basis = models.JSONField(default=list)
    facilities = models.JSONField(default=list)
    officer_competence = models.JSONField(default=list)
    internal_supervision = models.TextField(default="", blank=True)
    officer_count = models.JSONField(default=dict)
    service_guarantee = models.TextField(default="", blank=True)
    security_guarantee = models.TextField(default="", blank=True)
    performance_evaluation = models.TextField(default="", blank=True)

    # Derived from components for filtering and measurement.
    fee_total = models.BigIntegerField(default=0)
    completion_minutes = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["service", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["service", "version"], name="uniq_standard_version"),
            models.UniqueConstraint(
                fields=["service"],
                condition=models.Q(status="adopted"),
                name="one_adopted_standard_per_service",
            ),
            models.UniqueConstraint(
                fields=["service"],
                condition=models.Q(status="draft"),
                name="one_draft_standard_per_service",
            ),
        ]
        verbose_name = _("standar pelayanan")
        verbose_name_plural = _("standar pelayanan")

    def __str__(self) -> str:
        return f"{self.service} v{self.version} ({self.status})"

    @property
    def is_free(self) -> bool:
        return self.fee_total == 0

    def components(self) -> dict:
        """The 14 components as a plain dict under their API keys."""
        from mpp.catalog.standard_schema import COMPONENT_KEYS

        return {key: getattr(self, key) for key in COMPONENT_KEYS}


class Maklumat(BaseModel):
    """Maklumat pelayanan: the pledge an agency head signs and displays (UU 25/2009 ps. 15)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="maklumat")
    text = models.TextField(_("isi maklumat"))
    signer_name = models.CharField(_("penanda tangan"), max_length=200)
    signer_title = models.CharField(_("jabatan penanda tangan"), max_length=200)
    signed_on = models.DateField(_("tanggal"))

    class Meta:
        ordering = ["agency", "-signed_on"]
        get_latest_by = "signed_on"
        verbose_name = _("maklumat pelayanan")
        verbose_name_plural = _("maklumat pelayanan")
