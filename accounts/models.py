import uuid
from functools import cached_property

import rules
from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.enums import GOVERNMENT_KINDS, MOD_UNIT_CODES, OrganisationKind, RoleCode, UnitCode
from accounts.identity import email_normalise
from seeds.validators import validate_corporate_number


class Organisation(models.Model):
    name = models.CharField(_("name (Japanese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    unit_code = models.CharField(_("unit code"), max_length=20, choices=UnitCode.choices, blank=True)
    corporate_number = models.CharField(
        _("corporate number"), max_length=13, blank=True, validators=[validate_corporate_number]
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit_code"], condition=~Q(unit_code=""), name="org_unique_unit_code"),
            models.UniqueConstraint(
                fields=["corporate_number"], condition=~Q(corporate_number=""), name="org_unique_corporate_number"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name

    @property
    def is_government(self) -> bool:
        return self.kind in GOVERNMENT_KINDS

    def clean(self) -> None:
        # A unit code names an MOD staff office, bureau or ATLA; other kinds of organisation carry none.
        if self.kind == OrganisationKind.MOD_UNIT and self.unit_code not in MOD_UNIT_CODES:
            raise ValidationError({"unit_code": _("An MOD unit needs one of the MOD unit codes.")})
        if self.kind == OrganisationKind.ATLA and self.unit_code != UnitCode.ATLA:
            raise ValidationError({"unit_code": _("ATLA's unit code is “atla”.")})
        if self.kind not in {OrganisationKind.MOD_UNIT, OrganisationKind.ATLA} and self.unit_code:
            raise ValidationError({"unit_code": _("Only MOD units and ATLA carry a unit code.")})


class Role(models.Model):
    code = models.CharField(_("code"), max_length=30, choices=RoleCode.choices, unique=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["code"]

    def __str__(self) -> str:
        return str(RoleCode(self.code).label)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=email_normalise(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("email_verified_at", timezone.now())
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=email_normalise(username))


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
    )
    roles = models.ManyToManyField(Role, verbose_name=_("roles"), blank=True, related_name="users")
    email_verified_at = models.DateTimeField(_("e-mail verified at"), null=True, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=[("ja", "日本語"), ("en", "English")], default="ja"
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self._password_replaced = True

    def set_unusable_password(self):
        super().set_unusable_password()
        self._password_replaced = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if getattr(self, "_password_replaced", False):
            # Tokens were issued under the old password: whoever held it must lose them too, however the password
            # was set (the pages, the admin, `manage.py changepassword`, a shell). Each deletion tombstones the
            # token owner kept in the cache.
            self._password_replaced = False
            apps.get_model("authtoken", "Token").objects.filter(user=self).delete()

    @classmethod
    def normalize_username(cls, username):
        """Used by clean() and so by the admin's user forms: the address in its one normal form."""
        return email_normalise(username)

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    @cached_property
    def role_codes(self) -> frozenset[str]:
        """Role codes, read once per request (navigation and every permission check use them)."""
        if self.pk is None:
            return frozenset()
        return frozenset(role.code for role in self.roles.all())  # prefetched by PortalModelBackend.get_user

    def has_role(self, code: str) -> bool:
        return code in self.role_codes

    def has_perm(self, perm: str, obj=None) -> bool:
        """Portal permissions (the `rules` ones) follow DESIGN.md §3 for everyone, superusers included: the
        superuser shortcut only applies to Django's own model permissions used by the admin site."""
        if rules.perm_exists(perm):
            return self.is_active and rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)


class AuditEntry(models.Model):
    """Who did what to which record, and when. Kept apart from the data it describes: no foreign key, so
    deleting a user, a need or a startup never deletes (or blocks on) its history."""

    class Action(models.TextChoices):
        CREATE = "create", pgettext_lazy("audit action", "Create")
        UPDATE = "update", pgettext_lazy("audit action", "Update")
        TRANSITION = "transition", pgettext_lazy("audit action", "Transition")
        EXPORT = "export", pgettext_lazy("audit action", "Export")
        DELETE = "delete", pgettext_lazy("audit action", "Delete")
        READ = "read", pgettext_lazy("audit action", "Read")

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True, db_index=True)
    actor_email = models.CharField(_("actor"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=12, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)  # "app_label.model"
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)  # {field: [old, new]}
    note = models.TextField(_("note"), blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_email} {self.action} {self.object_repr}"


class OutboxTask(models.Model):
    """A Celery task written in the same transaction as the change that calls for it (accounts/outbox.py), so
    a broker that is down loses nothing: the relay sends pending rows when it is back."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # the Celery task id
    task = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    # A relay that claimed the row and is sending it; past this time another relay may try again.
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["id"], condition=Q(sent_at__isnull=True), name="outbox_pending_idx"),
            models.Index(fields=["sent_at"], name="outbox_sent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.task} {self.kwargs} {'sent' if self.sent_at else 'pending'}"
