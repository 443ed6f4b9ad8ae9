# Unit tests of the lac area of the KPI catalogue.
