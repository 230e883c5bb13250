"""The demo's needs and what followed them: written for this project (the needs, companies' answers and people
are invented). Each unit's demo author (demo.people.AUTHORS) writes its needs; the MOD reviewer publishes them.

Proposal statuses are where each proposal ends: `demo.pipeline` walks it there through every step between, as a
unit and a reviewer would on the pages. Evaluation scores follow needs.enums.Criterion's order (technical merit,
operational impact, maturity, cost and schedule, company capability), one tuple per evaluator of the need."""

from dataclasses import dataclass

from accounts.enums import UnitCode as U
from demo.people import AUTHORS, REVIEWER


@dataclass(frozen=True)
class DemoNeed:
    key: str
    unit: str
    title: str
    description: str
    capabilities: str
    tech_fields: tuple[str, ...]
    min_trl: int | None
    pathway: str
    visibility: str = "public"
    status: str = "published"  # draft, submitted (under review), published or closed
    deadline_days: int = 45  # the proposal deadline, in days from today
    returned: str = ""  # the reviewer once sent the need back to its author with this comment
    evaluators: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoProposal:
    need: str
    startup: str  # demo.registry_data slug
    status: str
    title: str
    summary: str
    approach: str
    trl: int
    months: int
    cost: tuple[int, int]  # millions of yen
    scores: tuple[tuple[int, int, int, int, int], ...] = ()
    conflict: str = ""  # the need's last evaluator declares a conflict of interest with this note
    reason: str = ""  # needs.enums.RejectionReason, for a rejection
    feedback: str = ""


def _evaluators(unit: str, *more: str) -> tuple[str, ...]:
    return (AUTHORS[unit], REVIEWER, *more)


# fmt: off
NEEDS = [
    DemoNeed(
        "robot-haul", U.GSDF, "山間部・被災地で物資を運ぶ自律移動ロボット",
        "山間部や被災地の最前線の拠点まで、隊員が弾薬・水・食料を人力で運んでいます。階段や瓦礫、ぬかるみを越えて"
        "30kg程度の物資を運び、隊員に追従したり指定した地点まで自律で往復したりできる無人の搬送手段を求めます。",
        "30kg以上の積載\n不整地・階段の踏破\n衛星測位が使えない場所での自律走行（SLAMなど）\n複数台の協調運用と遠隔監視",
        ("robotics", "logistics", "unmanned"), 6, "early_equipment", deadline_days=40,
        evaluators=_evaluators(U.GSDF),
    ),
    DemoNeed(
        "disaster-link", U.GSDF, "災害派遣での通信確保と被災状況の共有",
        "大規模災害では携帯電話網が途絶し、派遣部隊と自治体・指揮所の連絡が取れなくなります。可搬型の基地局や"
        "メッシュネットワークで現場に回線を張り、ドローンの映像で被災状況を共有する仕組みを求めます。",
        "車両や人力で運べる基地局\n数km四方を覆うメッシュネットワーク\nドローンからの映像伝送\n自治体の防災システムとの連携",
        ("comms", "disaster", "unmanned"), 6, "early_equipment", deadline_days=50,
        evaluators=_evaluators(U.GSDF),
    ),
    DemoNeed(
        "vitals", U.GSDF, "訓練・災害派遣中の隊員の熱中症と過労の予兆検知",
        "夏季の訓練や長時間の災害派遣で、隊員の熱中症や過労が問題になっています。装具の下に着けられるウェアラブル"
        "センサで体温・心拍・発汗を測り、危険の兆候を指揮者に知らせる仕組みを求めます。",
        "防護服・装具の下で使えるセンサ\n熱中症リスクの予測と通知\n通信が不安定でも動く端末側の処理\n個人の生体データの適切な管理",
        ("medical", "sensing", "ai"), 7, "tech_proposal", visibility="registered", deadline_days=35,
    ),
    DemoNeed(
        "field-power", U.GSDF, "野外で静かに使える可搬型電源",
        "野外の指揮所や監視拠点では、発電機の騒音と排気が課題です。燃料電池や蓄電池を使い、静かで排気のない"
        "可搬型の電源を求めます。",
        "1kW級の出力\n人力で運べる重量\n氷点下での動作\n燃料や電池の補給のしやすさ",
        ("energy", "disaster"), 6, "bridging_research", status="draft",
    ),
    DemoNeed(
        "underwater", U.MSDF, "港湾・沿岸の水中を点検する無人潜水機",
        "港湾や泊地の水中の安全確認は潜水員に頼っており、時間と危険が伴います。自律型無人潜水機（AUV）や"
        "ソーナーで海底と水中構造物を定期的に調べ、不審物を見つける仕組みを求めます。",
        "自律航行による定期点検\nサイドスキャンソーナーなどによる不審物の探知\n水中での位置推定\n母船や岸壁からの運用",
        ("maritime", "unmanned", "robotics"), 6, "tech_proposal", deadline_days=55,
        evaluators=_evaluators(U.MSDF, AUTHORS[U.ATLA]),
    ),
    DemoNeed(
        "ship-drone", U.MSDF, "艦艇上でのドローンの自動離着陸と充電",
        "艦艇や離島の拠点から小型ドローンを運用するとき、揺れる甲板への着艦と充電が課題です。波の揺れを補償して"
        "自動で離着陸・充電できるドローンポートを求めます。",
        "揺動を補償した離着陸\n自動充電または電池交換\n塩害への耐性\n低温でも性能が落ちにくい電池",
        ("unmanned", "maritime", "energy"), 5, "early_equipment", deadline_days=60,
        evaluators=_evaluators(U.MSDF),
    ),
    DemoNeed(
        "quantum-nav", U.MSDF, "衛星測位に頼らない量子センサ航法",
        "衛星測位（GNSS）は妨害や遮蔽に弱く、水中では使えません。量子センサで微弱な磁場を計測し、地磁気の"
        "地図と照合して位置を推定する航法技術の研究を求めます。",
        "小型の量子磁気センサ\n地磁気マップとの照合による航法\n艦艇や無人潜水機への搭載を見据えた小型化",
        ("quantum", "sensing", "maritime"), 3, "breakthrough_research", deadline_days=75,
    ),
    DemoNeed(
        "base-watch", U.ASDF, "基地警備のための長時間滞空無人機と赤外線監視",
        "広い飛行場や基地の外周を、夜間も含めて少人数で警備しなければなりません。長時間飛べる無人機と赤外線"
        "カメラで外周を監視し、侵入の兆候を知らせる仕組みを求めます。",
        "8時間程度の滞空\n滑走路を使わない離着陸\n夜間の赤外線監視と自動検知\n既存の警備システムとの連携",
        ("unmanned", "sensing"), 6, "early_equipment", deadline_days=45,
        evaluators=_evaluators(U.ASDF),
    ),
    DemoNeed(
        "counter-drone", U.ASDF, "重要施設に侵入する小型ドローンの検知と無力化",
        "基地や重要施設の上空に侵入する小型ドローンを早く見つけ、安全に無力化する技術が必要です。電波や"
        "レーダーによる検知と、電波妨害や高出力レーザーによる対処を組み合わせた方式を求めます。",
        "電波・レーダーによる検知と識別\n電波妨害による制御の無力化\n高出力レーザーなどの指向性エネルギー\n周辺への影響の抑制",
        ("electronic_warfare", "directed_energy", "sensing"), 5, "tech_proposal", visibility="government",
    ),
    DemoNeed(
        "space-watch", U.ASDF, "宇宙状況監視データの活用",
        "人工衛星とスペースデブリの増加で、衛星の運用に危険が生じています。光学望遠鏡やレーダーで得た観測"
        "データから軌道を推定し、接近の危険を早く知らせる技術を求めます。",
        "観測データからの軌道決定\n接近の予測と通知\n国内外の観測網との連携",
        ("space", "sensing", "ai"), 5, "bridging_research", status="closed",
        evaluators=_evaluators(U.ASDF),
    ),
    DemoNeed(
        "disinformation", U.JOINT_STAFF, "偽情報・影響工作の早期検知と分析",
        "SNS上で組織的に拡散される偽情報や影響工作を早く見つけ、その広がり方を分析する技術が必要です。"
        "日本語と英語の投稿を対象に、協調した発信やボットの兆候を可視化する方式を求めます。",
        "日本語と英語の投稿の分析\n協調した発信・ボットの検知\nナラティブの広がりの可視化",
        ("info_warfare", "ai"), 4, "tech_proposal", visibility="registered", deadline_days=50,
        evaluators=_evaluators(U.JOINT_STAFF),
    ),
    DemoNeed(
        "secure-link", U.JOINT_STAFF, "部隊間の秘匿通信への量子暗号の適用",
        "将来の量子計算機でも破られない通信の秘匿が求められています。量子鍵配送や耐量子計算機暗号を、部隊間の"
        "既存の回線に組み込む方式の研究を求めます。",
        "量子鍵配送の実証\n耐量子計算機暗号への移行\n既存の回線・暗号装置との共存",
        ("comms", "quantum", "cyber"), 3, "breakthrough_research", status="submitted", deadline_days=80,
    ),
    DemoNeed(
        "joint-sim", U.JOINT_STAFF, "統合演習のためのシミュレーションとデジタルツイン",
        "陸海空の部隊が共同で行う演習は、準備と場所の確保に大きな費用がかかります。施設や地域の3次元デジタル"
        "ツインとVR訓練を組み合わせ、仮想空間で計画を検証し繰り返し訓練できる環境を求めます。",
        "施設・地域の3次元デジタルツイン\nVRによる操縦・行動訓練\n訓練結果の記録と評価",
        ("simulation", "dx"), 6, "industry_day", deadline_days=30,
        evaluators=_evaluators(U.JOINT_STAFF),
    ),
    DemoNeed(
        "paperless", U.INTERNAL_BUREAU, "申請・点検業務の電子化とAIによる効率化",
        "部隊や機関では、紙の申請書や点検記録の作成・転記に多くの時間を使っています。帳票の読み取りと現場で"
        "使える業務アプリで業務を電子化し、AIで入力や集計を助ける仕組みを求めます。",
        "紙の帳票の読み取り（OCR）\nノーコードで作れる業務アプリ\n閉域網での運用",
        ("dx", "ai"), 7, "early_equipment", deadline_days=45,
        evaluators=_evaluators(U.INTERNAL_BUREAU),
    ),
    DemoNeed(
        "supply-risk", U.INTERNAL_BUREAU, "防衛産業のサプライチェーン・リスクの可視化",
        "防衛装備品の部品は多くの中小企業が支えており、一社の途絶や海外資本の関与が調達全体に響きます。"
        "取引先の資本関係や所在地、サイバー上の弱点を可視化し、リスクを早めに見つける仕組みを求めます。",
        "取引先の資本関係・所在地の可視化\n途絶リスクの評価\nサイバーリスクの把握",
        ("logistics", "dx", "cyber"), 6, "industry_day", status="draft",
    ),
    DemoNeed(
        "propulsion", U.ATLA, "長射程の飛しょう体に用いる小型推進装置と耐熱材料",
        "スタンド・オフ防衛に用いる飛しょう体には、小型で高効率な推進装置と、高速飛行の空力加熱に耐える材料が"
        "必要です。設計・試作と、解析や風洞による評価を組み合わせた研究を求めます。",
        "小型ターボジェットなどの推進装置\n空力加熱の解析と風洞試験\n耐熱材料の選定と試作",
        ("standoff", "materials", "simulation"), 4, "bridging_research", visibility="government", deadline_days=70,
    ),
    DemoNeed(
        "spare-parts", U.ATLA, "金属積層造形による補用部品の現地製造",
        "生産が終わった装備品の補用部品は調達に長い時間がかかり、装備を使えない期間が生じます。金属3Dプリンタで"
        "部品をその場で製造し、その品質を保証する方法を求めます。",
        "金属積層造形による部品の製造\n現物からの形状の復元\n強度と品質の保証",
        ("materials", "logistics"), 7, "tech_proposal", deadline_days=55,
        evaluators=_evaluators(U.ATLA),
    ),
    DemoNeed(
        "cyber-defence", U.ATLA, "制御システムへのサイバー攻撃の自動検知と対処",
        "装備品や施設の制御システムを狙うサイバー攻撃が増えています。通常の通信を学習して異常を見つけ、攻撃の"
        "経路を推定して対処を助ける技術を求めます。",
        "制御系ネットワークの異常検知\n攻撃経路の推定\n対処手順の自動化",
        ("cyber", "ai"), 5, "tech_proposal", status="draft",
        returned="対象のシステム（装備品か施設か）と、想定する運用者を書き加えてから再提出してください。",
    ),
]

PROPOSALS = [
    DemoProposal(
        "robot-haul", "soramichi", "contracted", "四脚ロボットSM-4による拠点間の物資搬送",
        "30kgを積んで階段と瓦礫を踏破する四脚ロボットを、隊員への追従と自律往復の2つの使い方で提供します。",
        "SLAMによる自己位置推定と、複数機を協調させる運用ソフトウェアSORA Fleetを組み合わせます。",
        7, 18, (40, 60), scores=((5, 4, 4, 4, 4), (4, 5, 4, 3, 4)),
    ),
    DemoProposal(
        "robot-haul", "ayumi-mobility", "rejected", "雪道・未舗装路を走る無人搬送車両",
        "自動運転の小型車両（UGV）で、拠点間の物資輸送を無人化します。",
        "LiDARと不整地走行の制御で、雪道やぬかるみでも走行します。",
        6, 24, (80, 120), scores=((4, 3, 3, 2, 3), (3, 3, 3, 2, 3)),
        reason="other_selected",
        feedback="階段や瓦礫の踏破が求める水準に届かず、別の提案を選びました。平地の輸送では高く評価しています。",
    ),
    DemoProposal(
        "disaster-link", "kazenone", "pitch", "可搬型ローカル5G基地局とメッシュ網による現場回線",
        "車載・可搬型のローカル5G基地局を持ち込み、メッシュネットワークで数km四方に回線を張ります。",
        "ドローン映像を基地局経由で指揮所に送り、自治体の防災システムには標準的な形式で連携します。",
        8, 12, (30, 50), scores=((5, 5, 4, 4, 5), (4, 5, 4, 4, 4)),
    ),
    DemoProposal(
        "disaster-link", "hisame-drone-rescue", "under_review", "捜索救助ドローンによる被災者の発見と呼びかけ",
        "赤外線カメラとスピーカーを積んだドローンで、孤立した被災者を探して呼びかけます。",
        "熱源探知で人を見つけ、上空から拡声して避難を促します。",
        3, 12, (10, 20),
    ),
    DemoProposal(
        "disaster-link", "aoba-bousai", "shortlisted", "浸水予測と被災状況の地図による共有",
        "IoT水位計と衛星画像から浸水範囲を予測し、部隊と自治体が同じ地図で被災状況を共有できるようにします。",
        "SAR画像の解析と予測モデルをクラウドで提供し、現場の端末でも閲覧できるようにします。",
        7, 9, (15, 25), scores=((4, 4, 4, 4, 3), (4, 3, 4, 4, 3)),
    ),
    DemoProposal(
        "disaster-link", "soramichi", "draft", "四脚ロボットによる中継局の設置",
        "人が近づけない場所に、四脚ロボットで通信中継局を運び込みます。",
        "", 5, 12, (20, 30),
    ),
    DemoProposal(
        "vitals", "mimamori-vitals", "submitted", "ウェアラブル生体センサによる熱中症の予兆通知",
        "体温・心拍・発汗を測るウェアラブルセンサと予測AIで、熱中症や過労の兆候を指揮者に知らせます。",
        "端末側で予測し、通信が途切れても警告を出します。生体データは部隊の管理する環境に保存します。",
        8, 10, (20, 35),
    ),
    DemoProposal(
        "vitals", "ametsuchi-telemed", "draft", "遠隔診療と連携した体調の見守り",
        "体調の異変があった隊員を、衛星回線でも使える遠隔診療で医官につなぎます。",
        "", 7, 12, (15, 30),
    ),
    DemoProposal(
        "underwater", "wadatsumi-marine", "selected", "自律型無人潜水機による港湾の定期点検",
        "AUVとサイドスキャンソーナーで港湾の海底と水中構造物を定期的に調べ、不審物を自動で検出します。",
        "水中SLAMで位置を推定し、岸壁からの投入・回収で少人数でも運用できるようにします。",
        7, 18, (120, 180), scores=((5, 5, 4, 4, 4), (5, 4, 4, 3, 4), (4, 4, 4, 4, 4)),
    ),
    DemoProposal(
        "underwater", "shiosai-acoustics", "shortlisted", "水中音響通信による潜水機の遠隔監視",
        "水中音響通信モデムで、潜航中の無人潜水機の状態と探知結果を岸壁に送ります。",
        "雑音の多い沿岸でも適応等化で通信を保ちます。",
        6, 12, (30, 50), scores=((4, 4, 3, 4, 4), (4, 3, 3, 4, 4)),
        conflict="以前、同社の技術顧問を務めていたため、この提案の評価を辞退します。",
    ),
    DemoProposal(
        "underwater", "minamo-qs", "rejected", "量子磁気センサによる水中の金属物体の探知",
        "ダイヤモンドNVセンターの量子磁気センサで、海底の金属物体を探知します。",
        "潜水機に搭載できる大きさまでの小型化を進めます。",
        4, 24, (50, 90), scores=((4, 3, 2, 3, 3), (3, 3, 2, 3, 3)),
        reason="maturity",
        feedback="技術の将来性は高く評価しています。実海域での試験の結果が出た段階で、改めてご提案ください。",
    ),
    DemoProposal(
        "ship-drone", "tobiuo-port", "under_review", "揺動補償付きドローンポートの艦上実証",
        "揺れる船上でもドローンが自動で離着陸・充電できるポートを、艦艇で実証します。",
        "揺動補償機構と自動充電を一体にし、塩害対策を施した筐体で提供します。",
        5, 12, (25, 40),
    ),
    DemoProposal(
        "quantum-nav", "minamo-qs", "submitted", "NVセンター量子磁気センサによる地磁気航法",
        "小型の量子磁気センサで地磁気を測り、地磁気マップと照合して位置を推定します。",
        "衛星測位が使えない水中と妨害下での航法を目指し、3年で試作機の海上試験まで進めます。",
        4, 36, (150, 250),
    ),
    DemoProposal(
        "base-watch", "hakuun-aero", "pitch", "固定翼VTOL無人機による夜間の外周監視",
        "滑走路なしで離着陸する固定翼VTOL機で、基地の外周を8時間監視します。",
        "赤外線カメラの映像から侵入者を自動で検知し、警備システムに通知します。",
        7, 12, (60, 90), scores=((5, 4, 4, 4, 4), (4, 4, 5, 3, 4)),
    ),
    DemoProposal(
        "base-watch", "hikarime-ir", "shortlisted", "非冷却赤外線カメラによる外周の常時監視",
        "低価格の非冷却赤外線カメラを外周に並べ、夜間でも侵入を検知します。",
        "画像鮮明化と自動検知で、少人数でも監視できるようにします。",
        8, 6, (20, 30), scores=((4, 4, 5, 5, 4), (4, 3, 5, 4, 4)),
    ),
    DemoProposal(
        "space-watch", "amanogawa-ssa", "contracted", "光学望遠鏡ネットワークによる軌道監視と接近通知",
        "国内外の光学望遠鏡の観測から衛星とデブリの軌道を決定し、接近の危険を通知します。",
        "観測網の拡大と軌道決定の自動化を組み合わせます。",
        6, 24, (80, 120), scores=((5, 5, 4, 4, 4), (5, 4, 4, 4, 4)),
    ),
    DemoProposal(
        "space-watch", "amaterasu-orbital", "rejected", "小型SAR衛星による地表の常時観測",
        "小型SAR衛星の観測データを、昼夜・天候を問わず提供します。",
        "衛星コンステレーションで観測頻度を高めます。",
        8, 12, (100, 200), scores=((3, 3, 5, 3, 4), (3, 2, 5, 3, 4)),
        reason="out_of_scope",
        feedback="地表の観測は本ニーズの対象外でした。地表観測のニーズでのご提案をお待ちしています。",
    ),
    DemoProposal(
        "disinformation", "mikage-analytics", "under_review", "SNS上の協調的な偽情報キャンペーンの検知",
        "日本語と英語の投稿を分析し、協調した発信やボットの兆候を早期に見つけます。",
        "ナラティブ分析と投稿パターンの解析を組み合わせ、広がり方を可視化します。",
        5, 12, (30, 45),
    ),
    DemoProposal(
        "disinformation", "kotodama-lab", "withdrawn", "閉域網の大規模言語モデルによる投稿の要約と翻訳",
        "閉域網で動く日本語の大規模言語モデルで、大量の投稿を翻訳・要約します。",
        "", 6, 9, (20, 30),
    ),
    DemoProposal(
        "joint-sim", "amakake-sim", "selected", "VR操縦訓練とデジタルツインによる統合演習の事前検証",
        "VR訓練シミュレータと施設のデジタルツインを組み合わせ、演習の計画を仮想空間で繰り返し検証します。",
        "訓練結果を記録・評価し、部隊をまたいで比べられるようにします。",
        9, 12, (50, 80), scores=((5, 4, 5, 4, 5), (4, 4, 5, 4, 5)),
    ),
    DemoProposal(
        "paperless", "shirabe-workflow", "submitted", "帳票OCRとノーコードアプリによる点検記録の電子化",
        "紙の点検記録をOCRで読み取り、現場で使える業務アプリに置き換えます。",
        "閉域網で動く構成とし、入力の補助と集計をAIで行います。",
        9, 6, (10, 20),
    ),
    DemoProposal(
        "paperless", "yukikai-logistics", "under_review", "需要予測による補給品の申請と配分の自動化",
        "過去の申請から需要を予測し、補給品の申請と配分の業務を自動化します。",
        "在庫配置の最適化と申請のワークフローを組み合わせます。",
        9, 9, (25, 40),
    ),
    DemoProposal(
        "spare-parts", "hagane-additive", "shortlisted", "金属3Dプリンタによる補用部品の現地製造と品質保証",
        "現物の部品から形状を復元し、金属積層造形で補用部品を製造して品質を保証します。",
        "リバースエンジニアリングと非破壊検査を組み合わせ、試験片による強度の確認まで行います。",
        8, 12, (40, 70),
    ),
]

# (need, asking company, question, answer: empty while the unit has not answered)
QUESTIONS = [
    ("robot-haul", "kaina-assist", "運ぶ物資の大きさに上限はありますか。",
     "一つあたり幅60cm×奥行40cm程度までを想定しています。"),
    ("disaster-link", "aoba-bousai", "自治体の防災システムとの連携は、どの形式を想定していますか。",
     "まずは地図データの標準的な形式での受け渡しを想定しています。詳細は提案の中でご提示ください。"),
    ("underwater", "shiosai-acoustics", "運用する水深の想定を教えてください。",
     "港湾内の水深30mまでを主に想定しています。"),
    ("vitals", "ametsuchi-telemed", "測定した生体データはどこに保存する想定ですか。",
     "部隊が管理する環境に保存することを前提としてください。"),
    ("base-watch", "hikarime-ir", "既存の警備システムとは、どのような方式で連携しますか。", ""),
    ("quantum-nav", "minamo-qs", "試験のための艦艇や水槽を使わせていただくことはできますか。", ""),
]

# (need, company, note): kept by the need's unit author
SHORTLISTS = [
    ("robot-haul", "soramichi", "合同推進会で面談済み。試用の候補。"),
    ("robot-haul", "kaina-assist", "隊員の負担軽減の観点で有望。"),
    ("disaster-link", "kazenone", ""),
    ("disaster-link", "aoba-bousai", "自治体との連携の実績あり。"),
    ("vitals", "mimamori-vitals", ""),
    ("underwater", "wadatsumi-marine", ""),
    ("underwater", "shiosai-acoustics", ""),
    ("ship-drone", "tobiuo-port", "離島での実証の実績を確認したい。"),
    ("quantum-nav", "minamo-qs", ""),
    ("base-watch", "hakuun-aero", ""),
    ("base-watch", "hikarime-ir", ""),
    ("counter-drone", "kasumi-rf", "重要施設警備の実績あり。"),
    ("counter-drone", "inazuma-photonics", ""),
    ("propulsion", "haruka-propulsion", ""),
    ("joint-sim", "amakake-sim", ""),
    ("joint-sim", "maboroshi-twin", "群集シミュレーションも評価したい。"),
    ("paperless", "shirabe-workflow", ""),
    ("spare-parts", "hagane-additive", ""),
]
# fmt: on


def companies() -> set[str]:
    """The companies that act on the portal in this story (they propose or ask): each needs a member."""
    return {proposal.startup for proposal in PROPOSALS} | {asker for _need, asker, *_rest in QUESTIONS}
