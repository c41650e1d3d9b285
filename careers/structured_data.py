"""schema.org JobPosting for search engines, as JSON-LD."""

import json

from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

from careers.models import EMPLOYMENT_TYPES, Posting
from recruitment.richtext import sanitize_html

# As django.utils.html.json_script: the JSON cannot close the <script> element.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def job_posting(*, posting: Posting, url: str, organization: str, country: str) -> dict:
    vacancy = posting.vacancy
    # A vacancy with no city listed is still somewhere: the country alone.
    cities = [city.name for city in vacancy.cities.all()] or [None]
    return {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": vacancy.public_title,
        "description": sanitize_html(vacancy.public_description)
        or strip_tags(vacancy.public_title),
        "datePosted": posting.published_at.date().isoformat(),
        "employmentType": EMPLOYMENT_TYPES[posting.contract],
        "url": url,
        "hiringOrganization": {"@type": "Organization", "name": organization},
        "jobLocation": [
            {
                "@type": "Place",
                "address": _address(city=city, country=country),
            }
            for city in cities
        ],
    }


def json_ld(data: dict) -> SafeString:
    text = json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308


def _address(*, city: str | None, country: str) -> dict:
    address = {"@type": "PostalAddress", "addressCountry": country}
    if city:
        address["addressLocality"] = city
    return address
