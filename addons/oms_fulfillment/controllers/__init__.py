from . import portal
from . import carrier_webhook
