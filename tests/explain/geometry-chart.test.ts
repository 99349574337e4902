// THE geometry test for the 3x4+II and 2x2 (4-lead) charts; see geometry-chart-suite.ts.
import { chartGeometrySuite } from './geometry-chart-suite.ts';

chartGeometrySuite(['3x4+II', '2x2']);
