"""Compact stop-word lists for French, English and Dutch (function words only).

Written for this project: articles, pronouns, prepositions, conjunctions, auxiliaries and the
commonest adverbs. Content words that matter in the cluster's domain (film, jeu, serie...) are
never listed. The lists also drive the cheap language detector in ``text.py``.
"""


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


FRENCH = _words(
    """
    a à afin ai aie aient aies ait alors as au aucun aucune aupres auquel aura aurai auraient
    aurais aurait auras aurez auriez aurions aurons auront aussi autre autres aux auxquelles
    auxquels avaient avais avait avant avec avez aviez avions avoir avons ayant ayez ayons bien
    c ça car ce ceci cela celle celles celui cependant certain certaine certaines certains ces
    cet cette ceux chaque chez ci comme comment d dans de depuis des desquelles desquels dont du
    duquel elle elles en encore entre es est et étaient étais était étant été êtes étiez étions
    être eu eue eues eûmes eurent eus eut eux fait faire font fut furent fus i il ils j je jusqu
    jusque l la laquelle le lequel les lesquelles lesquels leur leurs lors lorsque lui m ma mais
    me même mêmes mes moi mon n ne ni non nos notre nous on ont ou où par parce pas peu peut
    peuvent plus plusieurs pour pourquoi qu quand que quel quelle quelles quels qui quoi s sa
    sans se selon sera serai seraient serais serait seras serez seriez serions serons seront ses
    si sien sienne soi soient sois soit sommes son sont sous suis sur t ta tandis te tel telle
    telles tels tes toi ton tous tout toute toutes très tu un une unes uns vers via voici voilà
    vos votre vous y
    """
)

ENGLISH = _words(
    """
    a about above after again against all also am an and any are aren as at be because been
    before being below between both but by can cannot could did do does doing down during each
    either else etc ever every few for from further had has have having he her here hers herself
    him himself his how however i if in into is isn it its itself just least less let like ll
    may me might more most much must my myself neither no nor not now of off often on once only
    or other others otherwise our ours ourselves out over own per rather re s same shall she
    should since so some such than that the their theirs them themselves then there these they
    this those though through thus to too under until up upon us ve very via was we were what
    when where whether which while who whom whose why will with within without would yet you
    your yours yourself yourselves
    """
)

DUTCH = _words(
    """
    aan al alle alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door
    dus een eens en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand
    iets ik in is ja je jij jou jouw kan kon kunnen maar me meer men met mij mijn moet na naar
    niet niets nog nu of om omdat ons onze ook op over reeds te tegen toch toen tot u uit uw van
    veel voor want waren was wat we wel werd werden wie wij wil worden wordt zal ze zelf zich
    zij zijn zo zonder zou zouden
    """
)

STOP_WORDS: dict[str, frozenset[str]] = {"fr": FRENCH, "en": ENGLISH, "nl": DUTCH}
