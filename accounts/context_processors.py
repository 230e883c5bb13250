from accounts.navigation import navigation_for_request


def navigation(request):
    return {"navigation": navigation_for_request(request)}
