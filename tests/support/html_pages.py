"""Realistic news pages (site furniture around the article) in the three scripts, for the HTML
loader and metadata tests. The subjects are deliberately unlike the seeds'."""

from __future__ import annotations

COOKIE_SHARE_NAV = """
<div id="cookie-banner" class="cookie-consent">{cookie}<button>{accept}</button></div>
<header class="site-header"><a class="logo" href="/">{site}</a>
  <nav class="main-nav"><ul><li><a href="/">{home}</a></li><li><a href="/sports">{nav1}</a></li>
  <li><a href="/politics">{nav2}</a></li><li><a href="/health">{nav3}</a></li></ul></nav></header>
<div class="share-bar"><span>{share}</span><a href="#wx">WeChat</a><a href="#wb">Weibo</a>
  <a href="#fb">Facebook</a><a href="#x">X</a></div>
"""

SIMPLIFIED = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>青训改革见成效：省青年队两年内输送十二名职业球员_星海体育网</title>
<meta property="og:site_name" content="星海体育网">
<meta property="og:title" content="青训改革见成效：省青年队两年内输送十二名职业球员">
<meta name="author" content="李明远">
<meta property="article:published_time" content="2025-01-16T20:30:00+08:00">
<link rel="canonical" href="https://sports.example.cn/2025/01/16/youth-football.html">
<script>window.dataLayer = window.dataLayer || []; function track(){}</script>
<style>.cookie-consent{position:fixed}</style>
</head><body>
""" + COOKIE_SHARE_NAV.format(
    cookie="本网站使用Cookie来改善您的浏览体验，继续浏览即表示您同意我们的隐私政策。", accept="同意并关闭",
    site="星海体育网", home="首页", nav1="足球", nav2="篮球", nav3="综合", share="分享到：") + """
<main><article class="article">
<h1 class="title">青训改革见成效：省青年队两年内输送十二名职业球员</h1>
<div class="meta"><span class="time">2025-01-16 20:30</span> <span class="source">来源：星海体育网</span>
 <span class="author">作者：李明远</span></div>
<div class="content">
<p>省足协1月16日公布的数据显示，自两年前推行青训改革以来，省青年队已向职业俱乐部输送了十二名球员，其中五人已在顶级联赛登场。</p>
<p>改革的核心是把训练时间从周末集中训练改为每周四次的校园训练。教练组负责人表示，球员的触球次数因此增加了一倍以上，比赛阅读能力也明显提高。</p>
<p>与此同时，省内注册的青少年球员人数从一万二千人增加到一万九千人。基层教练的持证比例也由三成提高到六成，更多学校建立了自己的校队。</p>
<p>不过，部分家长仍担心训练会占用文化课时间。对此，省足协表示将与教育部门合作，把训练安排在放学之后，并为参加集训的球员提供课业辅导。</p>
<p>按照计划，省足协今年还将新建二十块标准场地，并在三个地市试点青训中心，力争到明年底让注册球员人数突破两万五千人。</p>
</div>
<p class="editor">责任编辑：王芳</p>
</article>
<aside class="related"><h3>相关阅读</h3><ul>
<li><a href="/2024/12/30/a.html">省队冬训名单公布</a><span class="date">2024-12-30</span></li>
<li><a href="/2024/11/02/b.html">校园足球联赛收官</a><span class="date">2024-11-02</span></li>
</ul></aside></main>
<footer class="site-footer"><p>关于我们 | 联系我们 | 广告服务 | 隐私政策</p>
<p>© 2025 星海体育网 版权所有 未经授权禁止转载</p></footer>
</body></html>
"""

TRADITIONAL = """<!DOCTYPE html>
<html lang="zh-TW"><head><meta charset="utf-8">
<title>地方選舉投票率創新高 年輕選民成關鍵 - 島嶼日報</title>
<meta property="og:site_name" content="島嶼日報">
</head><body>
""" + COOKIE_SHARE_NAV.format(
    cookie="本網站使用Cookie以提供更好的服務，請點選同意以繼續瀏覽。", accept="我同意",
    site="島嶼日報", home="首頁", nav1="政治", nav2="社會", nav3="生活", share="分享") + """
<div id="main"><div class="article-body">
<h1>地方選舉投票率創新高 年輕選民成關鍵</h1>
<div class="byline">發布時間：2024/8/11 08:30</div>
<p>記者陳怡君／台北報導</p>
<p>中央選舉委員會昨天公布的統計顯示，本次地方選舉的投票率達到百分之七十一點二，創下歷屆新高，其中二十到二十九歲選民的投票率較上屆提高了九個百分點。</p>
<p>學者分析，各陣營今年大量使用短影音與線上直播宣傳，讓過去較少關心地方事務的年輕人願意返鄉投票。多個縣市的投票所在中午前就出現排隊人潮。</p>
<p>選委會表示，為了因應人潮，今年增設了三百個投票所，並首次在部分地區試辦電子化選舉人名冊，平均等候時間因此縮短了約十分鐘。</p>
<p>不過也有選民反映，部分投票所動線規劃不佳，長者與身障者排隊時間過長。選委會承諾將檢討相關安排，並在下次選舉前完成改善。</p>
<p class="tags">延伸閱讀：<a href="/n/1">選前之夜造勢</a>、<a href="/n/2">開票直擊</a></p>
</div></div>
<div class="recommend"><h3>熱門新聞</h3><ul><li><a href="/n/3">颱風假怎麼放？</a></li>
<li><a href="/n/4">油價下週調漲</a></li></ul></div>
<footer><p>島嶼日報 版權所有 © 2024 All Rights Reserved.</p><p>客服信箱：service@example.tw</p></footer>
</body></html>
"""

ENGLISH = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Booster uptake rises among older adults after clinic hours are extended | The Daily Ledger</title>
<meta property="og:site_name" content="The Daily Ledger">
<meta name="description" content="Extended evening hours helped clinics reach more older adults.">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Booster uptake rises among older adults after clinic hours are extended",
 "datePublished": "2024-08-11T09:00:00Z", "author": {"@type": "Person", "name": "Jane Smith"},
 "publisher": {"@type": "Organization", "name": "The Daily Ledger"}}</script>
</head><body>
""" + COOKIE_SHARE_NAV.format(
    cookie="We use cookies to personalise content and ads. By continuing you agree to our cookie policy.",
    accept="Accept all", site="The Daily Ledger", home="Home", nav1="World", nav2="Politics",
    nav3="Health", share="Share this article") + """
<article>
<h1>Booster uptake rises among older adults after clinic hours are extended</h1>
<p class="byline">By Jane Smith</p>
<p class="dateline">August 11, 2024</p>
<p>Vaccination clinics that stayed open until 9 p.m. recorded a 23 percent rise in booster doses given to
adults over 65, according to figures released by the regional health authority on Friday.</p>
<p>The authority extended opening hours at forty clinics in June after surveys showed that many older
residents relied on relatives who work during the day to drive them to appointments.</p>
<p>"The evening slots were full within a week," said the director of one clinic. Staff were moved from morning
shifts, so the total cost of the programme barely changed.</p>
<p>The authority plans to keep the longer hours through the winter season and will publish a full evaluation
in the spring, including the effect on hospital admissions.</p>
</article>
<section class="newsletter"><h2>Sign up for our newsletter</h2>
<form><input type="email"><button>Subscribe</button></form></section>
<aside class="related"><h2>Related stories</h2>
<ul><li><a href="/a">Flu season arrives early</a> <time>July 2, 2024</time></li>
<li><a href="/b">Hospital waiting lists shrink</a> <time>June 20, 2024</time></li></ul></aside>
<footer><p>&copy; 2024 The Daily Ledger. All rights reserved.</p><p>Terms | Privacy | Contact</p></footer>
</body></html>
"""

PAGES = {"simplified": SIMPLIFIED, "traditional": TRADITIONAL, "english": ENGLISH}
