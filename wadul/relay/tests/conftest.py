# The WhatsApp channel's fixtures: the app over HTTP and the simulator on the other side.
from wadul.whatsapp.tests.conftest import (  # noqa: F401
    _fresh_number_cache,
    app_url,
    settle,
    simulator,
    unit_number,
    whatsapp_settings,
)
