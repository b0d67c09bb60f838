"""A drawing of an invoice that shows where the contract and meter numbers are printed."""

from __future__ import annotations

from textual.widgets import Static

INVOICE_DRAWING = r"""
┌──────────────────────────────────────────────────────────┐
│ EAUX DE VOTRE COMMUNE             FACTURE D'EAU          │
│                                 ┌──────────────────────┐ │
│ M. ou Mme TITULAIRE             │ N° de contrat        │ │
│ 1 rue de la Source              │ ▶ 1234567 K ◀        │ │
│ 13880 VELAUX                    │ N° de compteur       │ │
│                                 │ ▶ A12B345678 ◀       │ │
│                                 └──────────────────────┘ │
│ Période : janvier - juin          Montant : 123,45 €     │
│ ──────────────────────────────────────────────────────── │
│ Consommation          m³         Prix         Total      │
└──────────────────────────────────────────────────────────┘
""".strip("\n")
"""The contract number is printed with a letter (K) that is not typed."""


class InvoiceHelp(Static):
    """The invoice drawing; the numbers are framed by arrows."""

    DEFAULT_CSS = """
    InvoiceHelp {
        width: auto;
        height: auto;
        color: $foreground;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(INVOICE_DRAWING, id=id, markup=False)
