# The 2019-20 seed acceptance test.
