"""Public mail services: anyone can have an address there, so owning one proves no membership."""

PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "126.com", "163.com", "aol.com", "fastmail.com", "free.fr", "gmail.com", "gmx.com",
        "gmx.de", "gmx.net", "googlemail.com", "hey.com", "hotmail.co.uk", "hotmail.com",
        "hotmail.de", "hotmail.fr", "icloud.com", "libero.it", "live.com", "mac.com", "mail.com",
        "mail.ru", "me.com", "msn.com", "orange.fr", "outlook.com", "outlook.de", "pm.me",
        "proton.me", "protonmail.com", "qq.com", "t-online.de", "tutanota.com", "web.de",
        "yahoo.co.uk", "yahoo.com", "yahoo.de", "yahoo.fr", "yandex.com", "yandex.ru", "zoho.com",
    }
)  # fmt: skip
