#!/bin/sh
# Regenerates web/static/media/sample.webm, the video every new session defaults to: two minutes,
# 640x360, VP9 + Opus in WebM (Debian's chromium has no H.264), with a large running timecode
# (HH:MM:SS.mmm) and the frame number burnt in, so a screenshot shows the exact position, a
# progress bar, and a short beep on every whole second, so two players out of sync can be heard.
#
#   sh web/scripts/make-sample-video.sh        (needs ffmpeg and fonts-dejavu-core)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out="$here/../static/media/sample.webm"
seconds=120
font=/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf

command -v ffmpeg >/dev/null || { echo "ffmpeg not found: apt-get install -y ffmpeg" >&2; exit 1; }
[ -f "$font" ] || { echo "$font not found: apt-get install -y fonts-dejavu-core" >&2; exit 1; }

mkdir -p "$(dirname "$out")"
base="color=c=0x1e293b:size=640x360:rate=25:duration=$seconds"
bar="color=c=0x38bdf8:size=640x16:rate=25:duration=$seconds"
audio="aevalsrc='0.25*sin(2*PI*880*t)*lt(mod(t\\,1)\\,0.06)':s=48000:d=$seconds"
graph="[1:v][2:v]overlay=x=-W+W*t/$seconds:y=H-h:eval=frame,\
drawtext=fontfile=$font:text='%{pts\\:hms}':fontsize=72:fontcolor=white:x=(w-tw)/2:y=(h-th)/2-30,\
drawtext=fontfile=$font:text='frame %{frame_num}':fontsize=32:fontcolor=0x94a3b8:x=(w-tw)/2:y=(h-th)/2+50,\
drawtext=fontfile=$font:text='Tandem sample':fontsize=24:fontcolor=0x94a3b8:x=20:y=20[v]"

echo "encoding $seconds s of VP9/Opus to $out ..."
ffmpeg -hide_banner -loglevel error -stats -y \
  -f lavfi -i "$audio" -f lavfi -i "$base" -f lavfi -i "$bar" \
  -filter_complex "$graph" -map '[v]' -map 0:a \
  -c:v libvpx-vp9 -b:v 110k -g 25 -deadline good -cpu-used 4 -row-mt 1 -pix_fmt yuv420p \
  -c:a libopus -b:a 24k \
  -t $seconds "$out"
ls -l "$out"
