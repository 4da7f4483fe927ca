"""Named styles: views say what a piece of text is, the theme says how it looks.

Plain words (bold, dim, a colour), read by both the diff views' own layout
(views/text/layout.py) and rich (views/text/screen.py makes the Theme) for the other views.
"""

STYLES = {
    "pd.title": "bold",
    "pd.heading": "bold",
    "pd.key-heading": "bold cyan",
    "pd.label": "bold",
    "pd.dim": "dim",
    "pd.status": "cyan",
    "pd.deleted": "red strike",
    "pd.inserted": "green underline",
    "pd.moved": "magenta",
    "pd.change": "yellow",
    "pd.broadened": "bold magenta",  # one hue for a change of scope either way: the word or
    "pd.narrowed": "bold magenta",  # the arrow says which way, the colour does not judge it
    "pd.error": "bold red",
    "pd.warning": "yellow",
}
