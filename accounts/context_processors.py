from accounts.navigation import navigation_for


def navigation(request):
    return {"navigation": navigation_for(request.user, request.path)}
