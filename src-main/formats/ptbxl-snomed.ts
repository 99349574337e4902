// PTB-XL SCP-ECG statement -> SNOMED CT concept, for the statements with a clear concept (codes as in the CinC
// 2020/2021 dx_mapping tables, which scored PTB-XL in SNOMED). Statements without one (NORM, the ischaemia and
// infarction localisations, non-specific ST-T wording) keep their SCP label only.
const SCP_SNOMED: Record<string, string> = {
  SR: '426783006',
  SBRAD: '426177001',
  STACH: '427084000',
  SARRH: '427393009',
  AFIB: '164889003',
  AFLT: '164890007',
  PAC: '284470004',
  PVC: '427172004',
  SVTAC: '426761007',
  PSVT: '67198005',
  PACE: '10370003',
  '1AVB': '270492004',
  '2AVB': '195042002',
  '3AVB': '27885002',
  CRBBB: '713427006',
  IRBBB: '713426002',
  CLBBB: '733534002',
  ILBBB: '251120003',
  LAFB: '445118002',
  LPFB: '445211001',
  IVCD: '698252002',
  WPW: '74390002',
  LVH: '164873001',
  RVH: '89792004',
  'LAO/LAE': '446813000',
  'RAO/RAE': '446358003',
  LNGQT: '111975006',
  LPR: '164947007',
  LVOLT: '251146004',
  QWAVE: '164917005',
  INVT: '59931005',
  STD_: '429622005',
  STE_: '164931005',
};

/** The SNOMED CT concept of a PTB-XL SCP statement, when it has a clear one. */
export function ptbxlSnomed(scpCode: string): string | undefined {
  return SCP_SNOMED[scpCode];
}

/** The whole table (SCP code, SNOMED code), for stating the class mapping in reports. */
export const PTBXL_SNOMED_MAPPING: ReadonlyArray<readonly [string, string]> = Object.entries(SCP_SNOMED);
