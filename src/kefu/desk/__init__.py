"""The front desk's other work at a property centre: paid services, renovations, enquiries."""
