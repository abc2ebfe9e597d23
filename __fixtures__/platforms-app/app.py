"""Imports every dependency and says which machine it runs on."""
import platform

import charset_normalizer
import django
import psycopg2
import sqlparse

print(f"{platform.machine()} django={django.get_version()} psycopg2={psycopg2.__version__.split()[0]} "
      f"charset_normalizer={charset_normalizer.__version__} sqlparse={sqlparse.__version__}")
