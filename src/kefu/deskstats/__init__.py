"""The property desk's monthly statistics (C.i, B.e): occupied and vacant units (an ended
month's from its month-end snapshot, the only table of its own), move-ins and move-outs, fees
billed and collected, paid-service revenue, enquiries, complaints received. Every other figure
it reads from the units, fees, desk and complaints modules through their public queries."""
