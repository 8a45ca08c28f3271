UNVERIFIED_EMAIL_GROUP = "unverified-email"


def userinfo(claims, user):
    """OIDC_USERINFO: the standard claims of `user`, for /openid/userinfo and the ID token.
    Users the launcher made with --unverified-email-user are in UNVERIFIED_EMAIL_GROUP."""
    claims["name"] = user.get_full_name() or user.username
    claims["given_name"] = user.first_name
    claims["family_name"] = user.last_name
    claims["preferred_username"] = user.username
    claims["email"] = user.email
    claims["email_verified"] = not user.groups.filter(name=UNVERIFIED_EMAIL_GROUP).exists()
    return claims
