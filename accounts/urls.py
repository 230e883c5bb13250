from django.urls import path

from accounts.views import account, audit, auth, directory, two_factor

app_name = "accounts"

urlpatterns = [
    path("sign-in/", auth.SignInView.as_view(), name="login"),
    path("sign-out/", auth.SignOutView.as_view(), name="logout"),
    path("register/", auth.register, name="register"),
    path("verify/resend/", auth.resend_verification, name="resend_verification"),
    path("verify/<str:token>/", auth.verify_email, name="verify_email"),
    path("language/", auth.switch_language, name="switch_language"),
    path("password/change/", auth.password_change, name="password_change"),
    path("password/change/done/", auth.password_change_done, name="password_change_done"),
    path("password/reset/", auth.password_reset, name="password_reset"),
    path("password/reset/sent/", auth.password_reset_done, name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", auth.password_reset_confirm, name="password_reset_confirm"),
    path("password/reset/complete/", auth.password_reset_complete, name="password_reset_complete"),
    path("me/", account.account, name="account"),
    path("two-factor/set-up/", two_factor.setup, name="two_factor_setup"),
    path("two-factor/verify/", two_factor.verify, name="two_factor_verify"),
    path("two-factor/recovery-codes/", two_factor.recovery_codes, name="two_factor_recovery_codes"),
    path("two-factor/disable/", two_factor.disable, name="two_factor_disable"),
    path("me/token/", account.token_regenerate, name="token_regenerate"),
    path("me/token/revoke/", account.token_revoke, name="token_revoke"),
    path("organisations/", directory.organisation_list, name="organisation_list"),
    path("organisations/<int:pk>/", directory.organisation_detail, name="organisation_detail"),
    path("users/", directory.user_list, name="user_list"),
    path("audit/", audit.audit_list, name="audit_list"),
    path("audit/export/", audit.audit_export, name="audit_export"),
]
