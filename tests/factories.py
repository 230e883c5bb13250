"""factory_boy factories: boring defaults, valid everywhere (STYLE.md example 9)."""

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.enums import OrganisationKind
from accounts.models import Organisation, Role
from seeds.validators import corporate_number_check_digit

TEST_PASSWORD = "correct-horse-battery-9"


def make_corporate_number(sequence: int) -> str:
    base = f"{800000000000 + sequence:012d}"
    return f"{corporate_number_check_digit(base)}{base}"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"テスト組織{n}")
    name_en = factory.Sequence(lambda n: f"Test organisation {n}")
    kind = OrganisationKind.STARTUP
    corporate_number = factory.Sequence(make_corporate_number)

    class Params:
        government = factory.Trait(kind=OrganisationKind.METI, corporate_number="")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@test.example.jp")
    full_name = factory.Sequence(lambda n: f"利用者 {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        self.save()
        if create and extracted:
            self.roles.set([Role.objects.get_or_create(code=code)[0] for code in extracted])


# --- Seeds: startups (startup registry API and demo tests) ----------------------------------------------


class StartupFactory(factory.django.DjangoModelFactory):
    """An unclaimed startup with no technology fields; pass `tech_fields=["ai", ...]` to set codes."""

    class Meta:
        model = "seeds.Startup"
        skip_postgeneration_save = True

    corporate_number = factory.Sequence(lambda n: make_corporate_number(10_000_000_000 + n))
    name = factory.Sequence(lambda n: f"株式会社テストシーズ{n}")
    name_en = factory.Sequence(lambda n: f"Test Seeds {n} Inc.")
    description = "テスト用のスタートアップです。"
    technologies = factory.LazyFunction(list)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        startup = model_class(*args, **kwargs)
        startup.search_text = startup.build_search_text()
        startup.save()
        return startup

    @factory.post_generation
    def tech_fields(self, create, extracted, **kwargs):
        if create and extracted:
            from seeds.models import TechField

            self.tech_fields.set(TechField.objects.filter(code__in=extracted))
