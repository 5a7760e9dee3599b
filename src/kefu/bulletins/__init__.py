"""Announcements and community events of a property centre (C.h, C.k, B.p, B.s)."""
