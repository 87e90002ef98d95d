"""Published worked examples' inputs, shared by the tests that check against them.

* phe_dsr / PHStatsMethods ph_dsr: 19 age bands with the European Standard
  Population; value 9832.763039564017 (95%: 9232.668299548477 to 10461.620634).
* PHEindicatormethods tests/testthat/testLifeExpectancy.R (commit
  005c05b0e1a6be4a7d35e2d737f90bc01d9b3b06): df1's populations and deaths by
  the standard bands 0, 1-4, 5-9, ..., 90+; answer1 at birth 80.16960813
  (79.88268548 to 80.45653078, made with z = 1.96).
"""

ESP = [5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000, 7000, 6500]
ESP += [6000, 5500, 5000, 4000, 2500, 1500, 1000]
DSR_COUNTS = [50, 55, 55, 55, 60, 60, 65, 70, 70, 70, 70, 65, 60, 55, 50, 40, 25]
DSR_COUNTS += [15, 10]
DSR_POPS = [509, 559, 559, 559, 609, 609, 659, 709, 709, 709, 709, 659, 609, 559]
DSR_POPS += [509, 409, 259, 159, 109]
LE_POPS = [
    7060, 35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435, 55601,
    50209, 56416, 46411, 39820, 37978, 37039, 33288, 23306, 11936, 11936,
]  # fmt: skip
LE_DEATHS = [
    17, 9, 4, 8, 20, 15, 24, 33, 50, 71,
    100, 163, 263, 304, 536, 872, 1390, 1605, 1936, 1937,
]  # fmt: skip
LE_AGES = [0, 1, *range(5, 95, 5)]
