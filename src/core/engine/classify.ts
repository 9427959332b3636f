/** Classification of a percent of the applicable max: Xuất sắc, Tốt, Khá, Trung bình, Yếu. */
import { type Micro, percentAtLeast } from './decimal';

export type Classification = 'Xuất sắc' | 'Tốt' | 'Khá' | 'Trung bình' | 'Yếu';

export interface Thresholds {
  excellent: number;
  good: number;
  fair: number;
  average: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { excellent: 90, good: 80, fair: 65, average: 50 };

export const CLASSIFICATIONS: Classification[] = ['Xuất sắc', 'Tốt', 'Khá', 'Trung bình', 'Yếu'];

/** Background colours used for each class in sheets and the summary. */
export const CLASSIFICATION_COLORS: Record<Classification, string> = {
  'Xuất sắc': '#b7e1cd',
  Tốt: '#d9ead3',
  Khá: '#fff2cc',
  'Trung bình': '#fce5cd',
  Yếu: '#f4cccc',
};

/** Classifies total ÷ max exactly (no floating-point error at the boundaries). */
export function classify(total: Micro, applicableMax: Micro, t: Thresholds = DEFAULT_THRESHOLDS): Classification {
  if (percentAtLeast(total, applicableMax, t.excellent)) return 'Xuất sắc';
  if (percentAtLeast(total, applicableMax, t.good)) return 'Tốt';
  if (percentAtLeast(total, applicableMax, t.fair)) return 'Khá';
  if (percentAtLeast(total, applicableMax, t.average)) return 'Trung bình';
  return 'Yếu';
}
