"""Customer opinion surveys (C.d: at least once every half year, with statistics, analysis and a
report; A art. 22(4): online questionnaires, only valid ones count; B.l: organise improvements)."""
