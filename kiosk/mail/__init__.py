"""Mail: the five e-mails, the outbox, the transports and the delivery worker."""
