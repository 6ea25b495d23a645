//! The demo companies' legal names as constants, so that the tables of
//! money and of the catalog name them without typos; each must match a
//! `legal_name` in `companies.rs` (tests check).

pub(super) const HENGXIN_THERMOS: &str = "义乌市恒信保温杯有限公司";
pub(super) const HUAQIANG_XUNDA_ELECTRONICS: &str = "深圳市华强讯达电子有限公司";
pub(super) const HONGDA_TEXTILE: &str = "杭州萧山宏达纺织有限公司";
pub(super) const YONGHUA_PACKAGING: &str = "宁波甬华包装材料有限公司";
pub(super) const HUAMING_FURNITURE: &str = "佛山市顺德区华铭家具有限公司";
pub(super) const JINGTUO_MOULDS: &str = "东莞市精拓塑胶模具有限公司";
pub(super) const RUIBU_SHOES: &str = "温州市瑞步鞋业有限公司";
pub(super) const MINGXIANGYUAN_TEA: &str = "厦门茗香源茶业进出口有限公司";
pub(super) const HUAZHEN_MACHINE_PARTS: &str = "青岛华振机械配件有限公司";
pub(super) const MEIYAN_COSMETICS_PACKAGING: &str = "广州美妍化妆品包装有限公司";
pub(super) const JINXIU_SILK: &str = "苏州市吴江区锦绣丝绸有限公司";
pub(super) const XINGLE_TOYS: &str = "汕头市星乐玩具有限公司";
pub(super) const VOGEL_HAMBURG: &str = "Vogel Haushaltswaren GmbH";
pub(super) const VAN_DEN_BERG_ROTTERDAM: &str = "Van den Berg Groothandel B.V.";
pub(super) const MORETTI_MILANO: &str = "Tessuti Moretti S.r.l.";
pub(super) const NOWAK_WOLKA_KOSOWSKA: &str = "Nowak Dystrybucja Sp. z o.o.";
pub(super) const AL_NOOR_DUBAI: &str = "Al Noor General Trading L.L.C.";
pub(super) const PHUONG_NAM_GARMENT: &str = "Công ty TNHH May Mặc Phương Nam";
pub(super) const JAMBO_NAIROBI: &str = "Jambo Household Supplies Limited";
pub(super) const PACIFIC_CREST_LOS_ANGELES: &str = "Pacific Crest Home Goods LLC";
pub(super) const SINAR_JAYA_KUALA_LUMPUR: &str = "Sinar Jaya Distribution Sdn. Bhd.";
