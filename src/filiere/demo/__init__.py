"""The demo: a seeded picture of the Pôle Images cluster in 2009 (``manage.py demo``).

The top of the stack: it may import every app, and no app imports it. Data live in small
modules by subject (``places``, ``organisations``, ``people``, ``calls``, ``call_form``,
``application_texts``, ``board_texts``); builders write them (``community``, ``accounts``,
``vocabulary``, ``matchmaking``, ``events``, ``calls``, ``applications``, ``account_files``);
``landing`` says where each demo account starts.
"""
