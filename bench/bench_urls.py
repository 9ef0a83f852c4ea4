"""The app's URLs plus a no-op POST view: the same server, the same middleware, no work."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from wadul.urls import urlpatterns as app_urlpatterns


@csrf_exempt
def noop(request):
    request.read()
    return HttpResponse("OK", content_type="text/plain")


urlpatterns = [path("bench/noop/", noop), *app_urlpatterns]
