"""The demo registry: fictional startups written for this project (companies, people and sites are invented).

Corporate numbers: the first three companies keep the numbers written out below; every other company is
numbered from the project's own range 710000000000–719999999999 (`corporate_number` adds the check digit).
Websites and e-mail addresses are on `example.jp`; phone numbers use the unassigned 0000 exchange.
"""

from dataclasses import dataclass, field

# Source notes, per programme, as a curator would copy them from the published list.
SOURCES = {
    "jstartup": "J-Startup {cohort} 選定企業一覧",
    "jstartup_local": "J-Startup {region} {cohort} 選定企業一覧",
    "jstartup_impact": "J-Startup Impact {cohort} 選定企業一覧",
    "startup_award": "日本スタートアップ大賞{cohort} 受賞企業",
    "prize_rd": "懸賞金型研究開発 {cohort}年度 受賞者一覧",
    "jva": "Japan Venture Awards {cohort} 受賞者",
    "fastar": "FASTAR 第{cohort}期 修了企業",
    "subsidy": "ディープテック・スタートアップ支援事業 {cohort}年度 採択企業",
    "vc_referral": "デモ・ベンチャーキャピタル推薦 ({cohort}年)",
}


@dataclass(frozen=True)
class DemoStartup:
    number: str | int  # a full corporate number (claimed demo companies) or a base offset in the 71… range
    slug: str
    name: str
    name_en: str
    description: str
    technologies: list[str]
    tech_fields: list[str]
    trl: int | None
    stage: str
    prefecture: str
    founded_year: int
    employees: int
    contact_name: str
    # (program, cohort) or, for the regional J-Startup editions, (program, cohort, region)
    designations: list[tuple[str, ...]] = field(default_factory=list)
    products: list[tuple[str, str]] = field(default_factory=list)
    note: str = ""
    defense_record: str = ""


# A data table, laid out one company to a block; the formatter would put every value on a line of its own.
# fmt: off
STARTUPS = [
    # --- The first three companies (the first one's member is the demo's startup user, demo.people.STARTUP_MEMBER).
    DemoStartup(
        "3700000000001", "soramichi", "株式会社ソラミチ・ロボティクス", "Soramichi Robotics Inc.",
        "不整地を自律走行する四脚ロボットと、複数の機体を協調させる運用ソフトウェアを開発しています。"
        "山間部や被災地での物資搬送の実証を重ねています。",
        ["四脚ロボット", "SLAM", "群協調制御", "遠隔操縦"], ["robotics", "unmanned", "logistics"],
        6, "early", "東京都", 2018, 45, "空道 三郎",
        [("jstartup", "2023"), ("fastar", "6")],
        [("SM-4 四脚搬送ロボット", "最大積載30kg、階段と瓦礫を踏破する四脚ロボット。"),
         ("SORA Fleet", "複数ロボットの経路計画と遠隔監視のソフトウェア。")],
        "2024年の合同推進会で陸上幕僚監部と面談済み。試用・実証の候補。",
        "自治体の災害訓練での物資搬送実証（3件）",
    ),
    DemoStartup(
        "2700000000002", "minamo-qs", "株式会社ミナモ量子センシング", "Minamo Quantum Sensing Inc.",
        "ダイヤモンドNVセンターを用いた小型の量子磁気センサを開発しています。"
        "衛星測位が使えない環境での磁気航法や、水中の金属物体の探知への応用を目指しています。",
        ["NVセンター量子センサ", "磁気航法", "微弱磁場計測"], ["quantum", "sensing", "maritime"],
        4, "seed", "茨城県", 2020, 18, "水面 七海",
        [("prize_rd", "2023"), ("subsidy", "2024")],
    ),
    DemoStartup(
        "1700000000003", "aoba-bousai", "合同会社アオバ防災テック", "Aoba Disaster Tech LLC",
        "河川と沿岸の浸水を、IoT水位計と衛星画像から予測して自治体の避難判断を支援します。",
        ["IoT水位計", "浸水予測AI", "SAR画像解析"], ["disaster", "ai"],
        7, "early", "宮城県", 2016, 12, "青葉 健",
        [("jstartup_local", "2022", "TOHOKU")],
        [("AOBA Flood Watch", "水位計と予測モデルを一体にした自治体向けクラウドサービス。")],
    ),
    # --- Unmanned systems, aerospace and space.
    DemoStartup(
        1, "hakuun-aero", "株式会社ハクウン航空システムズ", "Hakuun Aero Systems Inc.",
        "滑走路なしで離着陸できる固定翼VTOL無人機を製造しています。航続8時間の広域監視に対応します。",
        ["固定翼VTOL", "長時間滞空", "自動離着陸"], ["unmanned", "sensing"],
        7, "middle", "愛知県", 2015, 80, "白雲 大輔",
        [("jstartup", "2021"), ("jva", "2020")],
        [("HAKUUN-V2", "最大離陸重量25kgの固定翼VTOL機。")],
        "ASDFの基地警備ニーズと相性が良い。量産体制は要確認。",
    ),
    DemoStartup(
        2, "amaterasu-orbital", "株式会社アマテラス・オービタル", "Amaterasu Orbital Inc.",
        "100kg級の小型SAR衛星を自社開発し、昼夜・天候を問わない地表観測データを提供しています。",
        ["小型SAR衛星", "衛星コンステレーション", "変化抽出"], ["space", "sensing"],
        8, "later", "福岡県", 2017, 150, "天照 美咲",
        [("jstartup", "2019"), ("startup_award", "2022")],
    ),
    DemoStartup(
        3, "tsukuyomi-space", "株式会社ツクヨミ宇宙通信", "Tsukuyomi Space Communications Inc.",
        "衛星間・衛星地上間の光通信ターミナルを開発しています。大容量かつ傍受されにくい回線を目指します。",
        ["光通信ターミナル", "精密捕捉追尾", "衛星間リンク"], ["space", "comms"],
        5, "early", "東京都", 2019, 60, "月読 亮",
        [("subsidy", "2023")],
    ),
    DemoStartup(
        4, "amanogawa-ssa", "株式会社アマノガワ宇宙状況監視", "Amanogawa Space Situational Awareness Inc.",
        "国内外に設置した光学望遠鏡のネットワークで、人工衛星とスペースデブリの軌道を監視します。",
        ["光学望遠鏡ネットワーク", "軌道決定", "デブリ監視"], ["space", "sensing"],
        6, "early", "山梨県", 2018, 26, "天野 遥",
        [("jstartup", "2023")],
    ),
    DemoStartup(
        5, "tobiuo-port", "株式会社トビウオ・ドローンポート", "Tobiuo Drone Port Inc.",
        "揺れる船上や離島でもドローンが自動で離着陸・充電できるポートを開発しています。",
        ["ドローンポート", "揺動補償", "自動充電"], ["unmanned", "maritime", "logistics"],
        5, "seed", "沖縄県", 2020, 21, "飛魚 翔",
        [("vc_referral", "2024")],
    ),
    DemoStartup(
        6, "haruka-propulsion", "株式会社ハルカ推進", "Haruka Propulsion Inc.",
        "小型ターボジェットエンジンを設計・製造し、長距離無人機や標的機向けに供給しています。",
        ["小型ターボジェット", "燃焼解析", "積層造形部品"], ["standoff", "unmanned"],
        5, "early", "岐阜県", 2018, 30, "遥 剛",
        [("subsidy", "2024")],
    ),
    DemoStartup(
        7, "kanata-nav", "株式会社カナタ測位", "Kanata Positioning Inc.",
        "慣性計測と画像照合を組み合わせ、衛星測位が妨害されても位置を保つ複合航法装置を作っています。",
        ["慣性航法", "画像照合航法", "GNSS妨害耐性"], ["standoff", "sensing", "unmanned"],
        6, "early", "栃木県", 2017, 35, "彼方 誠",
        [("prize_rd", "2022")],
    ),
    DemoStartup(
        8, "raimei-hypersonic", "株式会社ライメイ・ハイパーソニック", "Raimei Hypersonic Inc.",
        "極超音速飛行の空力加熱を計算と小型風洞で評価し、耐熱材料の選定を支援します。",
        ["空力加熱解析", "小型衝撃風洞", "耐熱複合材"], ["standoff", "materials", "simulation"],
        3, "seed", "千葉県", 2020, 22, "雷鳴 航",
        [("prize_rd", "2023")],
    ),
    # --- Communications, cyber and information.
    DemoStartup(
        9, "kazenone", "株式会社カゼノネ通信", "Kazenone Networks Inc.",
        "車載・可搬型のローカル5G基地局とメッシュ網で、通信インフラが途絶した現場に回線を張ります。",
        ["ローカル5G", "メッシュネットワーク", "可搬型基地局"], ["comms", "disaster"],
        8, "middle", "神奈川県", 2014, 70, "風音 聡",
        [("jstartup", "2021")],
        [("KAZE Box", "30分で開設できる可搬型ローカル5Gシステム。")],
    ),
    DemoStartup(
        10, "shinobi-cyber", "株式会社シノビ・サイバー", "Shinobi Cyber Inc.",
        "Shinobi Cyber detects intrusions into operational-technology networks such as power, water and "
        "port control systems. Its sensor learns normal traffic and flags anomalies without agents.",
        ["OT intrusion detection", "anomaly detection", "network forensics", "asset inventory", "protocol parsing"],
        ["cyber", "dx"],
        8, "middle", "東京都", 2016, 120, "忍 拓海",
        [("jstartup", "2019"), ("jva", "2021")],
        [("SHINOBI OT Sentinel", "Passive sensor and console for industrial control networks.")],
        "重要インフラ事業者への導入実績多数。クリアランス体制を確認中。",
    ),
    DemoStartup(
        11, "yatagarasu-sec", "株式会社ヤタガラス・セキュリティ", "Yatagarasu Security Inc.",
        "攻撃者の手順を模したペネトレーションテストを自動化し、脆弱性の優先順位付けまで行います。",
        ["自動ペネトレーションテスト", "脆弱性診断", "攻撃グラフ"], ["cyber", "ai"],
        6, "early", "大阪府", 2019, 35, "八咫 蓮",
        [("jstartup_local", "2023", "KANSAI")],
    ),
    DemoStartup(
        12, "seiran-quantum", "株式会社セイラン量子暗号", "Seiran Quantum Cryptography Inc.",
        "量子鍵配送装置と耐量子計算機暗号を組み合わせた、長期に安全な通信基盤を開発しています。",
        ["量子鍵配送", "耐量子計算機暗号", "鍵管理"], ["quantum", "cyber", "comms"],
        3, "seed", "大阪府", 2021, 14, "晴嵐 光",
        [("prize_rd", "2024"), ("subsidy", "2024")],
    ),
    DemoStartup(
        13, "mikage-analytics", "株式会社ミカゲ解析", "Mikage Analytics Inc.",
        "Mikage Analytics finds coordinated disinformation campaigns on social media by analysing "
        "narratives, accounts and posting patterns in Japanese and English.",
        ["narrative analysis", "bot detection", "multilingual NLP"], ["info_warfare", "ai"],
        5, "seed", "東京都", 2020, 25, "御影 紗希",
        [("prize_rd", "2024")],
    ),
    DemoStartup(
        14, "kotodama-lab", "合同会社コトダマ・ラボ", "Kotodama Lab LLC",
        "閉域網で動く日本語の大規模言語モデルを提供し、文書の翻訳・要約・検索を行います。",
        ["大規模言語モデル", "機械翻訳"], ["ai", "info_warfare"],
        6, "seed", "京都府", 2021, 15, "言霊 詩織",
        [("vc_referral", "2024")],
    ),
    DemoStartup(
        15, "oboro-cognitive", "株式会社オボロ認知科学", "Oboro Cognitive Science Inc.",
        "認知バイアスの研究をもとに、偽情報に強い組織をつくる訓練プログラムと評価ツールを提供します。",
        ["認知バイアス評価", "情報リテラシー訓練", "ナラティブ分析"], ["info_warfare", "simulation"],
        None, "seed", "東京都", 2022, 8, "朧 沙耶",
    ),
    DemoStartup(
        16, "sasame-ew", "株式会社ササメ電子戦研究所", "Sasame EW Research Inc.",
        "ソフトウェア無線で広い帯域の電波を常時監視し、干渉源や不審な電波の位置を可視化します。",
        ["ソフトウェア無線", "スペクトラム監視", "電波源標定"], ["electronic_warfare", "comms"],
        5, "early", "岡山県", 2018, 19, "細雨 匠",
        [("prize_rd", "2023")],
    ),
    DemoStartup(
        17, "kasumi-rf", "株式会社カスミ電波技研", "Kasumi RF Engineering Inc.",
        "小型ドローンの電波を検知・識別し、制御信号を無力化するカウンタードローン装置を開発しています。",
        ["ドローン検知", "RF識別", "ジャミング"], ["electronic_warfare", "unmanned", "sensing"],
        7, "middle", "埼玉県", 2012, 55, "霞 隆",
        [("jva", "2019")],
        note="重要施設警備の実績あり。電波法上の運用条件を確認のこと。",
    ),
    DemoStartup(
        18, "kagerou-camo", "株式会社カゲロウ光学迷彩", "Kagerou Adaptive Camouflage Inc.",
        "可視光と赤外線の両方で周囲に溶け込む、電気で色と放射率を変える適応迷彩シートを研究しています。",
        ["適応迷彩", "放射率制御", "エレクトロクロミック材料"], ["electronic_warfare", "materials"],
        3, "seed", "大分県", 2019, 13, "陽炎 結衣",
    ),
    # --- Directed energy, sensing, maritime.
    DemoStartup(
        19, "inazuma-photonics", "株式会社イナズマ・パワーフォトニクス", "Inazuma Power Photonics Inc.",
        "高出力ファイバーレーザーとビーム結合技術を開発しています。加工用で培った技術を小型無人機対処へ広げます。",
        ["高出力ファイバーレーザー", "ビーム結合", "熱管理"], ["directed_energy", "materials"],
        5, "middle", "静岡県", 2013, 90, "稲妻 浩二",
        [("subsidy", "2022"), ("jstartup", "2023")],
    ),
    DemoStartup(
        20, "ikazuchi-microwave", "株式会社イカヅチ・マイクロ波", "Ikazuchi Microwave Inc.",
        "窒化ガリウム半導体による高出力マイクロ波増幅器を設計しています。",
        ["GaN増幅器", "高出力マイクロ波", "フェーズドアレイ"], ["directed_energy", "electronic_warfare"],
        4, "early", "石川県", 2017, 40, "雷 翼",
        [("prize_rd", "2022")],
    ),
    DemoStartup(
        21, "senkou-pulsed", "株式会社センコウ・パルスパワー", "Senkou Pulsed Power Inc.",
        "大電流を瞬時に放出するパルスパワー電源と高耐圧コンデンサを製造しています。",
        ["パルスパワー電源", "高耐圧コンデンサ"], ["directed_energy", "energy"],
        5, "middle", "群馬県", 2011, 64, "千光 勇気",
    ),
    DemoStartup(
        22, "mobius-mmwave", "株式会社メビウス・ミリ波", "Mobius mmWave Inc.",
        "手のひら大のミリ波レーダーで、人や小型ドローンを雨や霧の中でも検知します。",
        ["ミリ波レーダー", "MIMO信号処理", "目標識別"], ["sensing", "electronic_warfare"],
        6, "early", "宮城県", 2016, 48, "目引 恵",
        [("jstartup_local", "2021", "TOHOKU")],
    ),
    DemoStartup(
        23, "hikarime-ir", "株式会社ヒカリメ赤外線", "Hikarime Infrared Inc.",
        "非冷却の赤外線カメラを低価格で量産し、夜間の監視や捜索救助に提供しています。",
        ["非冷却赤外線センサ", "熱画像", "画像鮮明化"], ["sensing", "disaster"],
        8, "later", "長野県", 2013, 75, "光目 純",
        [("jva", "2018"), ("jstartup", "2020")],
        [("HIKARI-T640", "640×512画素の非冷却赤外線カメラモジュール。")],
    ),
    DemoStartup(
        24, "shindo-seismic", "株式会社シンドウ地震解析", "Shindo Seismic Analytics Inc.",
        "既設の光ファイバーを振動センサとして使い、地震・津波や構造物の異常を早期に検知します。",
        ["光ファイバーDAS", "振動解析", "早期警報"], ["disaster", "sensing"],
        6, "early", "高知県", 2014, 20, "進藤 学",
    ),
    DemoStartup(
        25, "wadatsumi-marine", "株式会社ワダツミ海洋ロボティクス", "Wadatsumi Marine Robotics Inc.",
        "自律型無人潜水機（AUV）を開発し、海底地形の調査や港湾・水中インフラの点検を行っています。",
        ["自律型無人潜水機", "水中SLAM", "サイドスキャンソーナー", "長時間電源"],
        ["maritime", "unmanned", "robotics"],
        7, "middle", "神奈川県", 2015, 65, "海神 航平",
        [("jstartup", "2023"), ("fastar", "5")],
        [("WADA-300", "潜航深度300mの小型AUV。"), ("WADA Survey", "海底地形図の自動作成サービス。")],
        "MSDFの機雷探知ニーズに関連。潜航深度の拡張計画あり。",
    ),
    DemoStartup(
        26, "shiosai-acoustics", "株式会社シオサイ音響", "Shiosai Acoustics Inc.",
        "水中音響通信モデムとソーナー信号処理を開発しています。雑音の多い沿岸でも通信を保ちます。",
        ["水中音響通信", "ソーナー信号処理", "適応等化"], ["maritime", "comms"],
        6, "middle", "長崎県", 2011, 38, "潮騒 真一",
        [("jstartup_local", "2021", "KYUSHU")],
    ),
    DemoStartup(
        27, "miotsukushi-optics", "株式会社ミオツクシ水中光", "Miotsukushi Underwater Optics Inc.",
        "Miotsukushi builds blue-laser optical modems that carry video underwater at tens of megabits.",
        ["underwater optical link", "blue laser diode", "pointing and tracking"], ["maritime", "comms"],
        None, "seed", "沖縄県", 2022, 9, "澪標 凪",
        [("vc_referral", "2023")],
    ),
    # --- Robotics, quantum, materials and energy.
    DemoStartup(
        28, "kaina-assist", "株式会社カイナ・アシスト", "Kaina Assist Inc.",
        "腰と腕の負担を減らすパワーアシストスーツを製造しています。重量物の積み下ろしや長時間の作業を支えます。",
        ["パワーアシストスーツ", "外骨格", "筋電センサ"], ["robotics", "medical", "logistics"],
        8, "middle", "広島県", 2014, 60, "腕 誠司",
        [("startup_award", "2021")],
        [("KAINA Assist X", "電動アクチュエータ式の腰補助スーツ。")],
    ),
    DemoStartup(
        29, "ayumi-mobility", "株式会社アユミ自律走行", "Ayumi Autonomous Mobility Inc.",
        "雪道や未舗装路を走る自動運転車両（UGV）で、拠点間の物資輸送を無人化します。",
        ["自動運転", "不整地走行", "LiDAR"], ["robotics", "logistics", "unmanned"],
        6, "early", "北海道", 2019, 40, "歩 隼人",
        [("fastar", "7")],
    ),
    DemoStartup(
        30, "tokinoha-quantum", "株式会社トキノハ量子計算", "Tokinoha Quantum Computing Inc.",
        "量子アニーリングと古典計算を組み合わせ、輸送計画や勤務表など大規模な組合せ最適化を解きます。",
        ["量子アニーリング", "組合せ最適化", "スケジューリング"], ["quantum", "logistics"],
        4, "early", "東京都", 2018, 28, "時乃 葉月",
        [("jstartup", "2023")],
    ),
    DemoStartup(
        31, "hagane-additive", "株式会社ハガネ積層造形", "Hagane Additive Inc.",
        "金属3Dプリンタで補修部品をその場で製造する技術を提供し、調達に時間のかかる部品の欠品を防ぎます。",
        ["金属積層造形", "リバースエンジニアリング", "品質保証"], ["materials", "logistics"],
        8, "later", "兵庫県", 2012, 110, "鋼 大地",
        [("jstartup_local", "2020", "KANSAI"), ("jva", "2022")],
    ),
    DemoStartup(
        32, "tsumugi-composites", "株式会社ツムギ複合材料", "Tsumugi Composites Inc.",
        "セルロースナノファイバーを使った軽くて強い複合材料を開発し、無人機の機体や防護パネルに応用しています。",
        ["セルロースナノファイバー", "軽量複合材", "耐衝撃パネル"], ["materials", "unmanned"],
        5, "early", "京都府", 2016, 32, "紬 沙織",
    ),
    DemoStartup(
        33, "homura-battery", "株式会社ホムラ電池", "Homura Battery Inc.",
        "氷点下でも性能が落ちにくい全固体電池を開発しています。",
        ["全固体電池", "低温特性", "高エネルギー密度"], ["energy", "unmanned"],
        6, "middle", "山口県", 2017, 85, "焔 拓真",
        [("subsidy", "2023"), ("jstartup", "2021")],
    ),
    DemoStartup(
        34, "suiren-hydrogen", "株式会社スイレン水素", "Suiren Hydrogen Inc.",
        "水素カートリッジで動く可搬型の燃料電池発電機を製造しています。静かで排気がなく、停電時の電源になります。",
        ["可搬型燃料電池", "水素カートリッジ", "静音発電"], ["energy", "disaster"],
        7, "early", "福島県", 2019, 27, "睡蓮 陽介",
        [("jstartup_local", "2022", "TOHOKU")],
        [("SUIREN 1kW", "重量18kgの可搬型燃料電池発電機。")],
    ),
    DemoStartup(
        35, "hinata-solar", "株式会社ヒナタ・ソーラーファブリック", "Hinata Solar Fabric Inc.",
        "Hinata Solar Fabric makes foldable perovskite solar sheets that weigh a tenth of glass panels.",
        ["perovskite solar cell", "flexible encapsulation", "roll-to-roll coating"], ["energy", "materials"],
        5, "seed", "富山県", 2020, 16, "日向 葵",
        [("vc_referral", "2023")],
    ),
    # --- Medical, disaster, simulation, DX and logistics.
    DemoStartup(
        36, "iyashiro-medical", "株式会社イヤシロ医療", "Iyashiro Medical Inc.",
        "野外でも素早く使える止血材と、その使い方を学べる訓練キットを開発しています。",
        ["止血材", "救護訓練キット"], ["medical", "materials"],
        7, "early", "熊本県", 2015, 30, "弥代 千尋",
        [("jva", "2023")],
    ),
    DemoStartup(
        37, "mimamori-vitals", "株式会社ミマモリ・バイタル", "Mimamori Vitals Inc.",
        "ウェアラブルな生体センサで体温・心拍・発汗を測り、熱中症や過労の兆候をAIで知らせます。",
        ["ウェアラブルセンサ", "熱中症予測", "生体信号解析"], ["medical", "sensing", "ai"],
        8, "middle", "愛知県", 2018, 42, "見守 健太",
        [("jstartup_impact", "2023")],
    ),
    DemoStartup(
        38, "ametsuchi-telemed", "株式会社アメツチ遠隔医療", "Ametsuchi Telemedicine Inc.",
        "衛星回線でも途切れにくい遠隔診療システムで、離島や船上の患者を専門医につなぎます。",
        ["遠隔診療", "低帯域映像伝送", "医療データ連携"], ["medical", "comms"],
        8, "middle", "鹿児島県", 2016, 24, "天地 優",
        [("jstartup_impact", "2024"), ("jstartup_local", "2021", "KYUSHU")],
    ),
    DemoStartup(
        39, "amakake-sim", "株式会社アマカケ・シミュレーション", "Amakake Simulation Inc.",
        "VRヘッドセットで使う飛行・操縦訓練シミュレータを提供しています。大型の装置がなくても繰り返し訓練できます。",
        ["VR訓練", "フライトシミュレータ", "訓練評価"], ["simulation", "dx"],
        9, "later", "東京都", 2013, 95, "天翔 直樹",
        [("jstartup", "2019"), ("startup_award", "2020")],
        [("AMAKAKE VR Flight", "回転翼・固定翼の操縦訓練ソフトウェア。")],
    ),
    DemoStartup(
        40, "maboroshi-twin", "株式会社マボロシ・デジタルツイン", "Maboroshi Digital Twin Inc.",
        "都市や施設の3次元デジタルツインを作り、避難や警備の計画を仮想空間で検証できるようにします。",
        ["デジタルツイン", "群集シミュレーション", "3次元点群処理", "避難計画", "ゲームエンジン"],
        ["simulation", "dx", "disaster"],
        6, "early", "福岡県", 2019, 50, "幻 大樹",
        [("fastar", "6")],
    ),
    DemoStartup(
        41, "nanairo-synthetic", "株式会社ナナイロ合成データ", "Nanairo Synthetic Data Inc.",
        "Nanairo generates labelled synthetic images for training vision models where real data is scarce, "
        "such as rare vehicles, night scenes and bad weather.",
        ["synthetic data", "domain randomisation", "computer vision"], ["ai", "simulation"],
        None, "seed", "東京都", 2022, 11, "七色 彩",
        [("vc_referral", "2024")],
    ),
    DemoStartup(
        42, "yukikai-logistics", "株式会社ユキカイ物流AI", "Yukikai Logistics AI Inc.",
        "需要予測と在庫配置の最適化で、多拠点の補給品を必要な場所に必要なだけ届けます。",
        ["需要予測", "在庫最適化", "配車計画"], ["logistics", "ai", "dx"],
        9, "later", "大阪府", 2015, 70, "行交 修",
        [("jva", "2017")],
    ),
    DemoStartup(
        43, "kaname-supply", "株式会社カナメ・サプライチェーン", "Kaname Supply Chain Inc.",
        "取引先の資本関係や所在地を可視化し、サプライチェーンに潜む途絶や経済安全保障上のリスクを洗い出します。",
        ["サプライヤー網可視化", "リスクスコアリング", "企業データベース"], ["logistics", "dx"],
        7, "early", "東京都", 2020, 33, "要 美穂",
        [("jstartup", "2023")],
    ),
    DemoStartup(
        44, "shirabe-workflow", "株式会社シラベ業務DX", "Shirabe Workflow Inc.",
        "紙の帳票を読み取るOCRとノーコードの業務アプリで、現場の申請・点検業務を電子化します。",
        ["ノーコード", "帳票OCR", "ワークフロー"], ["dx", "ai"],
        9, "middle", "新潟県", 2010, 58, "調 一也",
        [("jstartup_local", "2021", "NIIGATA")],
    ),
    DemoStartup(
        45, "hisame-drone-rescue", "合同会社ヒサメ救難ドローン", "Hisame Rescue Drones LLC",
        "赤外線カメラとスピーカーを積んだドローンで、山岳や水難の遭難者を探して呼びかけます。",
        ["捜索救助ドローン", "熱源探知", "上空拡声"], ["disaster", "unmanned"],
        2, "seed", "長野県", 2024, 5, "氷雨 瞬",
    ),
]
# fmt: on
