"""Two refund-policy chunks and three answer sentences the default scorer judges one way each
(supported, contradicted by a name, not found): shared by the `show` and verdict-view tests."""

from rag_audit import Chunk

SHOP = [
    Chunk(
        id="shop#0",
        text="Items bought in the spring sale cannot be refunded, but they can be exchanged "
        "within 14 days. Customers who paid with PayPal usually see the money within 48 hours "
        "of approval.",
    ),
    Chunk(
        id="shop#1",
        text="Since 1 March 2024, store credit is offered as an alternative to a refund and comes "
        "with a 10 percent bonus. Returns are inspected at the warehouse in Leeds before any "
        "refund is issued.",
    ),
]
SUPPORTED = "PayPal customers usually receive the money within 48 hours after approval."
CONTRADICTED = "Returns are inspected at the warehouse in Manchester before any refund is issued."
NOT_FOUND = "Store credit can also be transferred to a friend as a gift card."
