from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    # Django's own login view with templates/registration/login.html; after login it goes on to
    # `next`, the /openid/authorize request that sent the browser here.
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("openid/", include("oidc_provider.urls", namespace="oidc_provider")),
]
