import type { Unit } from '../src/core/settings/settings';

/**
 * Data of the bundled example workbook: a 100-point CCHC criteria set and five units of
 * Phước Chánh commune, each at a different point of the yearly workflow.
 */

/** [outline, text, max] — groups have children; their max is the sum of their children's. */
export const CRITERIA_SET: [string, string, number][] = [
  ['1', 'CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC', 15],
  ['1.1', 'Kế hoạch CCHC', 3],
  ['1.1.1', 'Ban hành kế hoạch CCHC năm đầy đủ nội dung, phân công trách nhiệm, sản phẩm, thời gian thực hiện', 1],
  ['1.1.2', 'Mức độ hoàn thành kế hoạch CCHC', 2],
  ['1.2', 'Công tác tuyên truyền CCHC', 4],
  ['1.2.1', 'Ban hành kế hoạch tuyên truyền CCHC', 1],
  ['1.2.2', 'Thực hiện các hình thức tuyên truyền CCHC', 1],
  ['1.2.3', 'Tham gia các lớp tập huấn về CCHC theo đúng thành phần triệu tập', 2],
  ['1.3', 'Chỉ đạo, điều hành của lãnh đạo đơn vị', 6],
  ['1.3.1', 'Có văn bản phân công lãnh đạo, công chức phụ trách CCHC', 2],
  ['1.3.2', 'Gắn kết quả CCHC với thi đua, khen thưởng (thể hiện bằng văn bản)', 2],
  ['1.3.3', 'Đưa nội dung CCHC vào giao ban định kỳ, có thông báo kết luận', 2],
  ['1.4', 'Có sáng kiến về CCHC được cấp cơ sở công nhận', 2],
  ['2', 'XÂY DỰNG VÀ TỔ CHỨC THỰC HIỆN VĂN BẢN QPPL', 13],
  ['2.1', 'Rà soát văn bản QPPL', 5],
  ['2.1.1', 'Rà soát văn bản QPPL do HĐND, UBND xã ban hành', 3],
  ['2.1.2', 'Xử lý văn bản trái pháp luật theo kết luận kiểm tra', 2],
  ['2.2', 'Theo dõi thi hành pháp luật', 4],
  ['2.3', 'Kiểm tra, xử lý văn bản QPPL', 4],
  ['3', 'CẢI CÁCH THỦ TỤC HÀNH CHÍNH', 18],
  ['3.1', 'Cập nhật đầy đủ hồ sơ TTHC trên Hệ thống thông tin giải quyết TTHC tỉnh', 4],
  ['3.2', 'Số hóa hồ sơ, kết quả giải quyết TTHC', 5],
  ['3.3', 'Tỷ lệ hồ sơ dịch vụ công trực tuyến toàn trình và một phần', 5],
  ['3.4', 'Thanh toán trực tuyến phí, lệ phí TTHC', 4],
  ['4', 'CẢI CÁCH TỔ CHỨC BỘ MÁY', 10],
  ['4.1', 'Ban hành và thực hiện quy chế làm việc', 5],
  ['4.2', 'Phân công nhiệm vụ rõ người, rõ việc', 5],
  ['5', 'CẢI CÁCH CHẾ ĐỘ CÔNG VỤ', 12],
  ['5.1', 'Bố trí, sử dụng cán bộ, công chức, viên chức đúng vị trí việc làm', 4],
  ['5.2', 'Đánh giá, phân loại cán bộ, công chức, viên chức đúng quy định', 4],
  ['5.3', 'Chấp hành kỷ luật, kỷ cương hành chính', 4],
  ['6', 'CẢI CÁCH TÀI CHÍNH CÔNG', 10],
  ['6.1', 'Xây dựng, thực hiện quy chế chi tiêu nội bộ', 5],
  ['6.2', 'Công khai dự toán, quyết toán ngân sách', 5],
  ['7', 'XÂY DỰNG CHÍNH QUYỀN ĐIỆN TỬ, CHÍNH QUYỀN SỐ', 22],
  ['7.1', 'Sử dụng thư điện tử công vụ, không dùng email cá nhân', 3],
  ['7.2', 'Xử lý văn bản trên phần mềm quản lý văn bản và điều hành', 5],
  ['7.3', 'Sử dụng chữ ký số trong văn bản điện tử', 4],
  ['7.4', 'Cung cấp thông tin trên Trang thông tin điện tử', 4],
  ['7.5', 'Lập hồ sơ điện tử, giao nộp lưu trữ điện tử', 3],
  ['7.6', 'Bảo đảm an toàn thông tin mạng', 3],
];

export const BONUS_ROW_TEXT = 'Điểm cộng: sáng kiến, giải pháp được công nhận (01 điểm/sáng kiến, tối đa 04 điểm)';
export const PENALTY_ROW_TEXT = 'Điểm trừ: chậm báo cáo, thiếu minh chứng, dùng email cá nhân, thiếu chữ ký số... (ghi rõ căn cứ)';

export interface ExampleRow {
  self?: unknown;
  explanation?: string;
  evidence?: string;
  appraisal?: unknown;
  reason?: string;
  request?: string;
  check?: string;
  appeal?: string;
  extraEvidence?: string;
  final?: unknown;
  finalReason?: string;
}

export interface ExampleUnit extends Unit {
  /** Default for every leaf: full marks with an evidence link, or empty. */
  base: 'full' | 'empty';
  rows: Record<string, ExampleRow>;
  bonus?: ExampleRow;
  penalty?: ExampleRow;
  appraise?: boolean;
  /** The sheet has the later stages' columns: the evidence check, the appeal and the final round (every leaf checked "Đạt"). */
  stages?: boolean;
}

export const COMMUNE = 'Phước Chánh';
export const YEAR = 2026;
export const OFFICE_EMAIL = 'vhxh.phuocchanh@gialai.gov.vn';
export const OFFICIAL_DOMAINS = 'gialai.gov.vn';

const drive = (id: string) => `https://drive.google.com/file/d/${id}/view`;

export const UNITS: ExampleUnit[] = [
  {
    name: 'Văn phòng HĐND và UBND xã',
    sheet: 'VP HĐND-UBND',
    focal: 'Nguyễn Thị Lan',
    email: 'vanphong.phuocchanh@gialai.gov.vn',
    phone: '0905123456',
    sensitive: false,
    base: 'full',
    appraise: true,
    rows: {
      '1.4': { self: 0, explanation: 'Năm 2026 chưa có sáng kiến được công nhận' },
      '3.2': {
        self: 4.5,
        explanation: 'Tỷ lệ số hóa đạt 92%, chưa đạt 100%',
        appraisal: 4,
        reason: 'Số liệu hệ thống tỉnh tháng 10 chỉ đạt 88%',
      },
      '7.2': { appraisal: 4.5 },
    },
    bonus: { self: 1, evidence: drive('1VpSangKien2026QdCongNhan'), appraisal: 1 },
    penalty: { self: 0, appraisal: 0 },
  },
  {
    name: 'Trung tâm Phục vụ hành chính công xã',
    sheet: 'TT PVHCC',
    focal: 'Trần Văn Hùng',
    email: 'ttpvhcc.phuocchanh@gialai.gov.vn',
    phone: '0905234567',
    sensitive: false,
    base: 'full',
    rows: {
      '3.3': { self: 4, explanation: 'Tỷ lệ hồ sơ trực tuyến đạt 80%', evidence: drive('1TtDvcTrucTuyenQuy3') },
      '3.4': { self: 3, evidence: '' },
      '6.1': { self: '', evidence: '' },
      '6.2': { self: '', evidence: '' },
      '7.5': { self: 3, evidence: '' },
      '7.6': { self: '', evidence: '' },
    },
  },
  {
    name: 'Công an xã',
    sheet: 'Công an xã',
    focal: 'Lê Minh Tuấn',
    email: 'congan.phuocchanh@gialai.gov.vn',
    phone: '0905345678',
    sensitive: true,
    base: 'full',
    rows: {
      '2.2': { self: '3,5', explanation: '' },
      '5.3': { self: 3, explanation: '' },
      '7.4': { self: 'Chưa tính điểm', evidence: '' },
    },
    penalty: { self: 1, explanation: 'Chậm báo cáo CCHC quý II (Công văn 215/UBND ngày 20/7/2026)' },
  },
  {
    name: 'Ban Chỉ huy Quân sự xã',
    sheet: 'Ban CHQS',
    focal: 'Phạm Quốc Bảo',
    email: '',
    phone: '0905456789',
    sensitive: true,
    base: 'full',
    rows: {
      '7.3': { self: 'Chưa tính điểm', evidence: '', explanation: 'Chưa được cấp chứng thư số chuyên dùng' },
      '7.5': { self: 'đạt', evidence: '' },
      '6.2': { self: 6 },
    },
    bonus: { self: 5, evidence: drive('1ChqsSangKien') },
    penalty: { self: 2 },
  },
  {
    name: 'Trạm Y tế xã',
    sheet: 'Trạm Y tế',
    focal: 'Đỗ Thị Hoa',
    email: 'tramyte.phuocchanh@gmail.com',
    phone: '0905567890',
    sensitive: true,
    base: 'empty',
    rows: {
      '1.1.1': { self: 1, evidence: drive('1TytKeHoachCchc2026') },
      '1.1.2': { self: 1.5, evidence: drive('1TytBaoCaoQuy3'), explanation: 'Hoàn thành 75% kế hoạch' },
      '1.2.1': { self: 1 },
      '4.1': { self: '#REF!' },
    },
  },
  {
    // Went through every stage: the office asked for more evidence on 2.1.1 and got it; the council
    // lowered three scores; the unit appealed two: one raised back to its self score, one refused.
    name: 'Phòng Kinh tế xã',
    sheet: 'Phòng Kinh tế',
    focal: 'Võ Thanh Tâm',
    email: 'kinhte.phuocchanh@gialai.gov.vn',
    phone: '0905678901',
    sensitive: false,
    base: 'full',
    appraise: true,
    stages: true,
    rows: {
      '2.1.1': { check: 'Cần bổ sung: biên bản rà soát quý IV', extraEvidence: drive('1KtBienBanRaSoatQ4') },
      '3.3': {
        appraisal: 3,
        reason: 'Tỷ lệ hồ sơ trực tuyến toàn trình chỉ đạt 60% theo hệ thống tỉnh tháng 10',
        appeal: 'Số liệu tháng 12 đạt 85% (báo cáo kèm theo)',
        extraEvidence: drive('1KtBaoCaoDvcThang12'),
        final: 5,
        finalReason: 'Chấp nhận số liệu bổ sung tháng 12',
      },
      '5.3': { appraisal: 3, reason: 'Một công chức bị nhắc nhở về giờ giấc làm việc' },
      '7.2': {
        appraisal: 4,
        reason: 'Còn văn bản thường xử lý ngoài phần mềm',
        appeal: 'Các văn bản còn lại là văn bản mật, xử lý bản giấy theo quy định',
        final: 4,
        finalReason: 'Giữ nguyên: văn bản thường quý III vẫn xử lý bản giấy',
      },
    },
  },
];

export const MILESTONES: [string, string][] = [
  ['15/6/2026', 'Cập nhật kết quả thực hiện 6 tháng đầu năm; rà soát nhiệm vụ chưa có minh chứng, nhiệm vụ có nguy cơ mất điểm.'],
  ['15/9/2026', 'Cập nhật kết quả 9 tháng; bổ sung minh chứng phát sinh, giải trình nhiệm vụ chưa đạt hoặc đạt một phần.'],
  ['10/11/2026', 'Hoàn thành cập nhật kết quả tự chấm năm; gửi hồ sơ, minh chứng và file nén phục vụ thẩm định.'],
];
