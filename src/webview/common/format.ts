// Formatting lives in src/shared/format.ts. This re-export serves only the prediction panel, which
// is being rewritten on another branch: delete this file once that panel imports shared/format.
export { formatPercent } from '../../shared/format';
