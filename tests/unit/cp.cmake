# Unit tests of the cp area of the KPI catalogue.
