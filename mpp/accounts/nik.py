"""NIK (Nomor Induk Kependudukan): masking here; parsing and validation rules below it."""

MASK = "•"


def mask_nik(nik: str) -> str:
    """3573••••••••0001: region of registration and serial only (UU 27/2022)."""
    if len(nik) != 16:
        return MASK * 16
    return nik[:4] + MASK * 8 + nik[-4:]
