from setuptools import find_packages, setup

setup(
    name="rms",
    version="0.1.0",
    description="RMS: a recruitment management system (applicant tracking) for a software house",
    python_requires=">=3.11",
    packages=find_packages(
        include=[
            "rms",
            "rms.*",
            "recruitment",
            "recruitment.*",
            "careers",
            "careers.*",
            "interviews",
            "interviews.*",
            "privacy",
            "privacy.*",
            "deploy",
            "deploy.*",
        ]
    ),
    include_package_data=True,
    install_requires=[
        "Django>=5.2,<5.3",
        "psycopg[binary]>=3.2",
        "dj-database-url>=2.3",
        "nh3>=0.2.18",
        "factory_boy>=3.3",
        "django-linear-migrations>=2.16",
        "django-filter>=24.3",
        "djangorestframework>=3.15",
        "drf-spectacular>=0.28",
        "drf-spectacular-sidecar>=2025.1",
        "openpyxl>=3.1",
        # CV text for the search: one pure-Python reader per format, no external tools.
        "pypdf>=5",
        "python-docx>=1.1",
        "odfpy>=1.4",
        "social-auth-app-django>=5.4",
        "django-csp>=4.0",
        "celery>=5.4,<6",
        "redis>=5",
        "django-celery-beat>=2.7",
        "django-axes>=8",
        # Interview invitations: RFC 5545 calendar files.
        "icalendar>=6",
        # The deploy console (console/) runs the deploy package in the app's own workers.
        "fabric>=3.2",
        # /metrics for Prometheus (rms/metrics.py).
        "prometheus-client>=0.21",
    ],
    extras_require={
        "test": [
            "pytest>=8",
            "pytest-django>=4.9",
            "pytest-cov>=5",
            "pytest-playwright>=0.6",
            "schemathesis>=4",
            "groovy-parser>=0.2",
            "aiosmtpd>=1.4",
        ],
        "deploy": [
            "fabric>=3.2",
            "uWSGI>=2.0.28",
        ],
    },
)
