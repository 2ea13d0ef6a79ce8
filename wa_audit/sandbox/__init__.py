"""A local AWS double for the demo and the tests.

moto's HTTP server on loopback, extended where moto lacks an API wa-audit uses. Needs the ``demo``
extra (moto). A test double, not a second AWS.
"""
