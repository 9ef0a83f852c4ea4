"""The conversation core: a citizen's message from any channel becomes part of a request.

Channels (WhatsApp, the web form, a counter) turn what they receive into an `Inbound` and
call `receive()`; the core decides what it is (a rating, a `status` question, an answer to
an intake question, a new request or a follow-up), applies it through the case services,
and tells the citizen through the case's channel (`wadul.cases.channels`). Nothing here
knows how a channel carries a message.
"""
