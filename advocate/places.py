"""Names and codes of places: US states and districts, French départements and circonscriptions."""

STATE_NAMES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas",
    "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts",
    "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
    "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico",
    "NY": "New York", "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma",
    "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina",
    "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
    "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
    "DC": "District of Columbia", "PR": "Puerto Rico", "GU": "Guam", "VI": "U.S. Virgin Islands",
    "AS": "American Samoa", "MP": "Northern Mariana Islands",
}  # fmt: skip
# No senators; one non-voting member of the House.
TERRITORIES = {"DC", "PR", "GU", "VI", "AS", "MP"}


def district_key(state: str, number: int) -> str:
    return f"{state}-{number}"


def district_name(state: str, number: int) -> str:
    name = STATE_NAMES.get(state, state)
    if number == 0:
        return f"{name} (at large)"
    return f"{name}'s {number}{_ordinal_suffix(number)} district"


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 11th, 119th, 120th, 121st."""
    return f"{n}{_ordinal_suffix(n)}"


def _ordinal_suffix(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


ABROAD = "099"


def department_code(raw: str) -> str:
    """Canonical département code: "1" → "01", "2a" → "2A", "99" → "099", "971" stays."""
    code = raw.strip().upper()
    if code in ("2A", "2B"):
        return code
    if code.isdigit():
        number = int(code)
        if number == 99:
            return ABROAD
        return code.zfill(2) if number < 100 else code
    return code


def circo_name(department: str, department_name: str, circo: int) -> str:
    ordinal = "1re" if circo == 1 else f"{circo}e"
    return f"{department_name} ({ordinal} circonscription)"
