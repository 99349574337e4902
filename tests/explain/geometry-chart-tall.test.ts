// THE geometry test for the 6x2 and 12x1 charts; see geometry-chart-suite.ts.
import { chartGeometrySuite } from './geometry-chart-suite.ts';

chartGeometrySuite(['6x2', '12x1']);
