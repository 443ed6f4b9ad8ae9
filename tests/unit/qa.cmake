# Unit tests of the qa area of the KPI catalogue.
