//! Names for the demo round: organisations (real universities and
//! government research institutes with their regions; fictional companies,
//! so no real firm appears to have won or lost), title parts in Korean and
//! English, and the demo reviewers and committee.

use crate::advisor::{Region, Sector};

use Region::{Capital as C, NonCapital as N};

/// An applicant organisation.
pub(super) type Org = (&'static str, Sector, Region);

/// Universities (academia).
pub(super) const UNIVERSITIES: &[(&str, Region)] = &[
    ("서울대학교", C),
    ("연세대학교", C),
    ("고려대학교", C),
    ("성균관대학교", C),
    ("한양대학교", C),
    ("KAIST", N),
    ("POSTECH", N),
    ("UNIST", N),
    ("GIST", N),
    ("DGIST", N),
    ("부산대학교", N),
    ("경북대학교", N),
    ("전남대학교", N),
    ("충남대학교", N),
    ("전북대학교", N),
    ("강원대학교", N),
    ("인하대학교", C),
    ("중앙대학교", C),
    ("이화여자대학교", C),
    ("제주대학교", N),
];

/// Government-funded research institutes (출연연).
pub(super) const INSTITUTES: &[(&str, Region)] = &[
    ("한국전자통신연구원(ETRI)", N),
    ("한국과학기술연구원(KIST)", C),
    ("한국과학기술정보연구원(KISTI)", N),
    ("한국기계연구원", N),
    ("한국표준과학연구원", N),
    ("한국원자력연구원", N),
    ("한국생명공학연구원", N),
    ("한국천문연구원", N),
    ("한국화학연구원", N),
    ("한국전기연구원", N),
];

/// Fictional companies: (name, sector, region).
pub(super) const COMPANIES: &[Org] = &[
    ("(주)한빛AI", Sector::Sme, C),
    ("(주)누리데이터", Sector::Sme, N),
    ("(주)바른비전", Sector::Sme, C),
    ("(주)세움로보틱스", Sector::Sme, N),
    ("(주)다온헬스케어", Sector::Sme, C),
    ("(주)아라음성기술", Sector::Sme, N),
    ("(주)가람소프트", Sector::Sme, C),
    ("(주)미르바이오AI", Sector::Sme, N),
    ("(주)하늬랩스", Sector::Startup, C),
    ("(주)솔빛에이아이", Sector::Startup, C),
    ("(주)모아언어", Sector::Startup, N),
    ("(주)라온메디", Sector::Startup, C),
    ("(주)별하모빌리티", Sector::Startup, N),
    ("(주)그린픽셀", Sector::Startup, C),
    ("(주)새봄에너지AI", Sector::Startup, N),
    ("(주)온새미로", Sector::Startup, C),
    ("대한전자(주)", Sector::LargeCompany, C),
    ("한국중공업AI(주)", Sector::LargeCompany, N),
    ("미래통신(주)", Sector::LargeCompany, C),
];

/// Title fields: (Korean, English).
pub(super) const DOMAINS: &[(&str, &str)] = &[
    ("의료 영상", "medical imaging"),
    ("한국어", "Korean language"),
    ("신약 후보물질", "drug discovery"),
    ("기상·기후", "weather and climate"),
    ("자율주행", "autonomous driving"),
    ("제조 공정", "manufacturing"),
    ("법률 문서", "legal documents"),
    ("재료 과학", "materials science"),
    ("금융 리스크", "financial risk"),
    ("농업", "agriculture"),
    ("음성 인식", "speech recognition"),
    ("로봇 제어", "robot control"),
    ("유전체", "genomics"),
    ("교육", "education"),
    ("핵융합 플라즈마", "fusion plasma"),
];

/// Title methods: (Korean, English).
pub(super) const METHODS: &[(&str, &str)] = &[
    ("거대언어모델 사전학습", "Pre-training a large language model for"),
    ("파운데이션 모델 미세조정", "Fine-tuning a foundation model for"),
    ("멀티모달 모델 개발", "A multimodal model for"),
    ("AI 결합 시뮬레이션", "AI-coupled simulation of"),
    ("경량화·추론 최적화", "Efficient inference for"),
    ("강화학습 에이전트", "Reinforcement-learning agents for"),
    ("생성 모델 연구", "Generative models for"),
    ("대규모 데이터 분석", "Large-scale data analysis in"),
];

/// Demo reviewers: (username, organisation). Some share an organisation with
/// applicants, so conflicts of interest occur and are recorded.
pub(super) const REVIEWERS: &[(&str, &str)] = &[
    ("reviewer01", "서울대학교"),
    ("reviewer02", "KAIST"),
    ("reviewer03", "한국전자통신연구원(ETRI)"),
    ("reviewer04", "(주)한빛AI"),
    ("reviewer05", "경북대학교"),
    ("reviewer06", "한국과학기술연구원(KIST)"),
    ("reviewer07", "고려대학교"),
    ("reviewer08", "국가AI연구거점"),
    ("reviewer09", "부산대학교"),
    ("reviewer10", "한국지능정보사회진흥원"),
    ("reviewer11", "POSTECH"),
    ("reviewer12", "정보통신산업진흥원"),
];

/// Demo committee members, the admin and a status operator: (username, role name, organisation).
pub(super) const STAFF: &[(&str, &str, &str)] = &[
    ("admin", "admin", "KAIRR 운영사무국"),
    ("committee1", "committee", "연세대학교"),
    ("committee2", "committee", "한국과학기술정보연구원(KISTI)"),
    ("committee3", "committee", "(주)바른비전"),
    ("ops1", "operator", "한국과학기술정보연구원(KISTI)"),
];

/// Every applicant organisation of `sector`.
pub(super) fn of_sector(sector: Sector) -> Vec<Org> {
    match sector {
        Sector::University => UNIVERSITIES.iter().map(|(n, r)| (*n, sector, *r)).collect(),
        Sector::GovernmentInstitute => INSTITUTES.iter().map(|(n, r)| (*n, sector, *r)).collect(),
        _ => COMPANIES.iter().copied().filter(|(_, s, _)| *s == sector).collect(),
    }
}
